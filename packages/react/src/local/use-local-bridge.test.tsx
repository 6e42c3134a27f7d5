// @vitest-environment happy-dom
import { act, cleanup, renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { FaucetProvider } from "../provider/faucet-provider.js";
import { createFakeFaucet } from "../testing/fake-faucet.js";
import { useLocalBridge } from "./use-local-bridge.js";

afterEach(cleanup);

describe("useLocalBridge", () => {
  it("looks for the bridge on first use, and again on refresh", async () => {
    const fake = createFakeFaucet();
    const wrapper = ({ children }: { children: ReactNode }) => (
      <FaucetProvider client={fake.client}>{children}</FaucetProvider>
    );
    const { result } = renderHook(() => useLocalBridge(), { wrapper });
    expect(result.current.status).toBe("detecting");
    await waitFor(() => expect(result.current.status).toBe("unavailable"));

    fake.local = { status: "available", models: [{ id: "llama3.2" }] };
    await act(() => result.current.refresh());
    expect(result.current).toMatchObject({ status: "available", models: [{ id: "llama3.2" }] });
  });
});
