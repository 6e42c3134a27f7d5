// @vitest-environment happy-dom
import { cleanup, renderHook } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { useWallet } from "../wallet/use-wallet.js";
import { createFakeFaucet } from "../testing/fake-faucet.js";
import { FaucetProvider, useFaucet } from "./faucet-provider.js";

afterEach(cleanup);

describe("FaucetProvider", () => {
  it("gives its client to the hooks below it", () => {
    const fake = createFakeFaucet();
    const wrapper = ({ children }: { children: ReactNode }) => (
      <FaucetProvider client={fake.client}>{children}</FaucetProvider>
    );
    expect(renderHook(() => useFaucet(), { wrapper }).result.current).toBe(fake.client);
  });

  it("a hook outside it says what is missing", () => {
    expect(() => renderHook(() => useWallet())).toThrow("wrap this component in <FaucetProvider client={…}>");
  });
});
