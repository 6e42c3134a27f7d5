// @vitest-environment happy-dom
import { act, cleanup, renderHook, waitFor } from "@testing-library/react";
import { StrictMode, type ReactNode } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { FaucetProvider } from "../provider/faucet-provider.js";
import { createFakeFaucet } from "../testing/fake-faucet.js";
import { useWallet } from "./use-wallet.js";

afterEach(cleanup);

function renderWallet(usd = "2.50000000") {
  const fake = createFakeFaucet(usd);
  const wrapper = ({ children }: { children: ReactNode }) => (
    <FaucetProvider client={fake.client}>{children}</FaucetProvider>
  );
  const hook = renderHook(() => useWallet(), { wrapper });
  return { fake, wallet: () => hook.result.current };
}

describe("useWallet", () => {
  it("reads the wallet on first use", async () => {
    const { fake, wallet } = renderWallet();
    await waitFor(() => expect(wallet().status).toBe("ready"));
    expect(wallet()).toMatchObject({ balanceUsd: "2.50000000", availableUsd: "2.50000000", error: null });
    expect(fake.walletReads).toBe(1);
  });

  it("reads it once however many components need it, in StrictMode too", async () => {
    const fake = createFakeFaucet();
    const wrapper = ({ children }: { children: ReactNode }) => (
      <StrictMode>
        <FaucetProvider client={fake.client}>{children}</FaucetProvider>
      </StrictMode>
    );
    const { result } = renderHook(() => [useWallet(), useWallet()], { wrapper });
    await waitFor(() => expect(result.current[1]!.status).toBe("ready"));
    expect(fake.walletReads).toBe(1);
  });

  it("reads it again when the window regains focus", async () => {
    const { fake, wallet } = renderWallet();
    await waitFor(() => expect(wallet().status).toBe("ready"));
    fake.wallet = { ...fake.wallet, balance_usd: "12.50000000", available_usd: "12.50000000" };
    act(() => void window.dispatchEvent(new Event("focus")));
    await waitFor(() => expect(wallet().availableUsd).toBe("12.50000000"));
    expect(fake.walletReads).toBe(2);
  });

  it("a refresh while a read is on its way gets one more read after it, shared", async () => {
    const { fake, wallet } = renderWallet();
    await waitFor(() => expect(wallet().status).toBe("ready"));
    await act(async () => {
      const first = wallet().refresh();
      fake.wallet = { ...fake.wallet, available_usd: "2.40000000" };
      await Promise.all([first, wallet().refresh(), wallet().refresh()]);
    });
    expect(fake.walletReads).toBe(3);
    expect(wallet().availableUsd).toBe("2.40000000");
  });

  it("keeps a failed read's error until the next read succeeds", async () => {
    const { fake, wallet } = renderWallet();
    await waitFor(() => expect(wallet().status).toBe("ready"));
    const get = fake.client.wallet.get;
    fake.client.wallet.get = () => Promise.reject(new Error("offline"));
    await act(() => wallet().refresh());
    expect(wallet()).toMatchObject({ status: "error", availableUsd: "2.50000000" });
    expect(wallet().error?.message).toBe("offline");
    fake.client.wallet.get = get;
    await act(() => wallet().refresh());
    expect(wallet()).toMatchObject({ status: "ready", error: null });
  });

  it("topUp starts Checkout, coming back to this page unless told otherwise", async () => {
    const { fake, wallet } = renderWallet();
    const checkout = await wallet().topUp({ amountUsd: "5.00" });
    expect(checkout.url).toMatch(/^https:\/\/checkout/);
    await wallet().topUp({ amountUsd: "7.00", successUrl: "https://app.test/paid", cancelUrl: "https://app.test/no" });
    expect(fake.topUps).toEqual([
      { amountUsd: "5.00", successUrl: window.location.href, cancelUrl: window.location.href },
      { amountUsd: "7.00", successUrl: "https://app.test/paid", cancelUrl: "https://app.test/no" },
    ]);
  });
});
