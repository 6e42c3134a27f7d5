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
  let readAgain: Promise<void> | undefined;
  // Bumped by every write, so a read that was answered before an answer settled never overwrites it.
  let version = 0;
  const set = (patch: Partial<WalletState>) => {
    version += 1;
    store.update((state) => ({ ...state, wallet: { ...state.wallet, ...patch } }));
  };

  async function read(): Promise<void> {
    set({ status: "loading" });
    const started = version;
    try {
      const wallet = await client.wallet.get();
      if (version === started) {
        set({ status: "ready", balanceUsd: wallet.balance_usd, availableUsd: wallet.available_usd, error: null });
      }
    } catch (error) {
      set({ status: "error", error: asError(error) });
    }
  }

  /**
   * Reads `GET /v1/user/wallet`. Never rejects (see `error`). A call while a
   * read is on its way gets one more read after it (shared by every such
   * call): the read in flight may have been answered before what the caller
   * just saw happen, such as an answer being billed.
   */
  function refresh(): Promise<void> {
    if (reading === undefined) {
      reading = read().finally(() => (reading = undefined));
      return reading;
    }
    readAgain ??= reading.then(() => {
      readAgain = undefined;
      return refresh();
    });
    return readAgain;
  }

  return {
    refresh,
    /** The first read: nothing when the wallet was read already or is being read (React may mount twice). */
    load: (): Promise<void> => (store.get().wallet.status === "idle" ? refresh() : Promise.resolve()),
    /**
     * After an answer: the Gateway's `available_usd` (the wallet once this
     * request settled) shows at once, the posted balance less exactly the
     * price; then the wallet is read to confirm both. An aborted stream has
     * no such block: the read alone tells.
     */
    settled(result: Pick<ChatStreamResult, "available_usd" | "price_usd">) {
      const { balanceUsd, status } = store.get().wallet;
      if (status === "idle") return;
      if (result.available_usd !== null && result.price_usd !== null && balanceUsd !== null) {
        set({ availableUsd: result.available_usd, balanceUsd: subtractUsd(balanceUsd, result.price_usd) });
      }
      void refresh();
    },
    /** Starts a Stripe Checkout top-up; resolves with the page to send the user to. */
    topUp({ amountUsd, successUrl, cancelUrl }: TopUpOptions) {
      const here = globalThis.location?.href ?? "";
      return client.wallet.topUp({ amountUsd, successUrl: successUrl ?? here, cancelUrl: cancelUrl ?? here });
    },
  };
}
