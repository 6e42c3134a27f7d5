import { render, type RenderResult } from "@testing-library/react";
import type { ReactElement } from "react";
import { FaucetProvider } from "../provider/faucet-provider.js";
import { createFakeFaucet, type FakeFaucet } from "./fake-faucet.js";

/** Renders `ui` under a FaucetProvider whose client is `fake` (default: a fresh one, $1 in the wallet). */
export function renderWithFaucet(
  ui: ReactElement,
  fake: FakeFaucet = createFakeFaucet(),
): RenderResult & { fake: FakeFaucet } {
  return { fake, ...render(<FaucetProvider client={fake.client}>{ui}</FaucetProvider>) };
}
