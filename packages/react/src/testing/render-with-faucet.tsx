import { render, type RenderResult } from "@testing-library/react";
import type { ReactElement } from "react";
import { FaucetProvider } from "../provider/faucet-provider.js";
import { createFakeFaucet, type FakeFaucet } from "./fake-faucet.js";

/** Renders `ui` under a FaucetProvider whose client is a fresh fake (with `usd` in the wallet). */
export function renderWithFaucet(ui: ReactElement, usd?: string): RenderResult & { fake: FakeFaucet } {
  const fake = createFakeFaucet(usd);
  return { fake, ...render(<FaucetProvider client={fake.client}>{ui}</FaucetProvider>) };
}
