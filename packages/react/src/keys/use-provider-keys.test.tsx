// @vitest-environment happy-dom
import { act, cleanup, renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { FaucetProvider } from "../provider/faucet-provider.js";
import { createFakeFaucet } from "../testing/fake-faucet.js";
import { useProviderKeys } from "./use-provider-keys.js";

afterEach(cleanup);

describe("useProviderKeys", () => {
  it("lists the user's keys, adds one (keeping its masked form) and removes it", async () => {
    const fake = createFakeFaucet();
    const wrapper = ({ children }: { children: ReactNode }) => (
      <FaucetProvider client={fake.client}>{children}</FaucetProvider>
    );
    const { result } = renderHook(() => useProviderKeys(), { wrapper });
    await waitFor(() => expect(result.current.status).toBe("ready"));
    expect(result.current.keys).toEqual([]);

    const added = await act(() => result.current.add({ provider: "groq", apiKey: "gsk_SECRETvalue0123456789" }));
    expect(added.masked).toBe("gsk...6789");
    expect(result.current.keys.map((key) => key.masked)).toEqual(["gsk...6789"]);
    expect(JSON.stringify(result.current.keys)).not.toContain("SECRET");

    await act(() => result.current.remove(added.id));
    expect(result.current.keys).toEqual([]);
  });

  it("rejects a refused add and keeps its error until the next success", async () => {
    const fake = createFakeFaucet();
    fake.client.keys.add = () => Promise.reject(new Error("At most 20 active provider keys."));
    const wrapper = ({ children }: { children: ReactNode }) => (
      <FaucetProvider client={fake.client}>{children}</FaucetProvider>
    );
    const { result } = renderHook(() => useProviderKeys(), { wrapper });
    await waitFor(() => expect(result.current.status).toBe("ready"));
    await act(() => expect(result.current.add({ provider: "openai", apiKey: "sk-x" })).rejects.toThrow("At most 20"));
    expect(result.current.error?.message).toBe("At most 20 active provider keys.");
  });
});
