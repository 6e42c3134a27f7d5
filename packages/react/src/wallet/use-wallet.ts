import type { LoadStatus, WalletState } from "../provider/faucet-state.js";
import { useFaucetContext, useFaucetState } from "../provider/faucet-provider.js";
import { useLoadOnce } from "../provider/use-load-once.js";
import type { TopUpOptions } from "./wallet-actions.js";

export interface UseWallet {
  /** Posted balance, USD with 8 decimals ("9.99998800"); null until first read. */
  balanceUsd: string | null;
  /** What the user can spend now (balance minus held); null until first read. */
  availableUsd: string | null;
  status: LoadStatus;
  /** The last failed read, cleared by the next success. */
  error: Error | null;
  /** Reads the wallet again (it is read on first use, after each answer and when the window regains focus). */
  refresh(): Promise<void>;
  /** Starts a Stripe Checkout top-up: send the user to the `url` it resolves with. */
  topUp(options: TopUpOptions): Promise<{ url: string; topUpId: string }>;
}

/** The wallet slice, read on first use when `enabled`. */
export function useWalletState(enabled: boolean): WalletState {
  const { wallet } = useFaucetContext();
  const state = useFaucetState((faucetState) => faucetState.wallet);
  useLoadOnce(state.status, wallet.load, enabled);
  return state;
}

/** The end user's wallet, shared by every component under the provider. */
export function useWallet(): UseWallet {
  const { wallet } = useFaucetContext();
  const state = useWalletState(true);
  return { ...state, refresh: wallet.refresh, topUp: wallet.topUp };
}
