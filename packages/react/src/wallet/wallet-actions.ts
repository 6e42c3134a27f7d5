import type { ChatStreamResult, Faucet } from "@modelfaucet/sdk";
import { asError, type FaucetState, type WalletState } from "../provider/faucet-state.js";
import type { Store } from "../provider/store.js";
import { subtractUsd } from "../usd.js";

export interface TopUpOptions {
  /** USD as a decimal string, 1.00–10000.00 in whole cents. */
  amountUsd: string;
  /** Where Stripe sends the user back after paying (default: this page). */
  successUrl?: string | undefined;
  /** Where Stripe sends the user back if they cancel (default: this page). */
  cancelUrl?: string | undefined;
}

export type WalletActions = ReturnType<typeof walletActions>;

export function walletActions(client: Faucet, store: Store<FaucetState>) {
  let reading: Promise<void> | undefined;
  // Bumped by every write, so a read that was answered before an answer settled never overwrites it.
  let version = 0;
  const set = (patch: Partial<WalletState>) => {
    version += 1;
    store.update((state) => ({ ...state, wallet: { ...state.wallet, ...patch } }));
  };

  /** Reads `GET /v1/user/wallet`; calls while a read is on its way share it. Never rejects (see `error`). */
  function refresh(): Promise<void> {
    reading ??= (async () => {
      set({ status: "loading" });
      const started = version;
      try {
        const wallet = await client.wallet.get();
        if (version === started) {
          set({ status: "ready", balanceUsd: wallet.balance_usd, availableUsd: wallet.available_usd, error: null });
        }
      } catch (error) {
        set({ status: "error", error: asError(error) });
      } finally {
        reading = undefined;
      }
    })();
    return reading;
  }

  return {
    refresh,
    /**
     * After an answer: the Gateway's `available_usd` (the wallet once this
     * request settled) saves a read; the posted balance fell by exactly the
     * price. Without it (an aborted stream), read the wallet.
     */
    settled(result: Pick<ChatStreamResult, "available_usd" | "price_usd">) {
      const { balanceUsd, status } = store.get().wallet;
      if (result.available_usd === null || result.price_usd === null || balanceUsd === null) {
        if (status !== "idle") void refresh();
        return;
      }
      set({ availableUsd: result.available_usd, balanceUsd: subtractUsd(balanceUsd, result.price_usd) });
    },
    /** Starts a Stripe Checkout top-up; resolves with the page to send the user to. */
    topUp({ amountUsd, successUrl, cancelUrl }: TopUpOptions) {
      const here = globalThis.location?.href ?? "";
      return client.wallet.topUp({ amountUsd, successUrl: successUrl ?? here, cancelUrl: cancelUrl ?? here });
    },
  };
}
