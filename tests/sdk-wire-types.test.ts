// The SDK publishes the wire shapes as plain types expanded from
// @modelfaucet/contract (its declarations cannot name a private package):
// the committed file must be what the contract makes now.
import { readFile } from "node:fs/promises";
import { expect, it } from "vitest";
import { renderSdkWireTypes, SDK_WIRE_TYPES_FILE } from "../scripts/generate-sdk-wire-types.js";

it("packages/sdk/src/wire-types.ts is current with the contract (else run pnpm sdk:wire-types)", async () => {
  expect(await readFile(SDK_WIRE_TYPES_FILE, "utf8")).toBe(await renderSdkWireTypes());
});
