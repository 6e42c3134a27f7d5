import type { LocalBridgeStatus, LocalModel, ProviderKey } from "@modelfaucet/sdk";

/** Where a loaded slice stands: `idle` until a hook first needs it. */
export type LoadStatus = "idle" | "loading" | "ready" | "error";

export interface WalletState {
  status: LoadStatus;
  /** Posted balance, USD with 8 decimals ("9.99998800"); null until first read. */
  balanceUsd: string | null;
  /** What the user can spend now: balance minus held; null until first read. */
  availableUsd: string | null;
  /** The last failed read, cleared by the next success. */
  error: Error | null;
}

export interface KeysState {
  status: LoadStatus;
  /** The user's BYOK keys as listed: `masked`, never the key. */
  keys: ProviderKey[];
  /** The last failed list, add or remove, cleared by the next success. */
  error: Error | null;
}

export interface LocalBridgeState {
  status: "idle" | "detecting" | LocalBridgeStatus["status"];
  models: LocalModel[];
}

/** What every hook and component under one FaucetProvider shares. */
export interface FaucetState {
  wallet: WalletState;
  keys: KeysState;
  local: LocalBridgeState;
  /** The last chat's error, null once a chat starts again: InsufficientBalanceNotice reads it. */
  chatError: Error | null;
}

export const INITIAL_FAUCET_STATE: FaucetState = {
  wallet: { status: "idle", balanceUsd: null, availableUsd: null, error: null },
  keys: { status: "idle", keys: [], error: null },
  local: { status: "idle", models: [] },
  chatError: null,
};

/** Any thrown value as an Error (the SDK throws FaucetError; anything else is wrapped). */
export function asError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new Error(String(thrown));
}
