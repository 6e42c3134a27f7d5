import type { AddKeyParams, ProviderKey } from "@modelfaucet/sdk";
import type { KeysState, LoadStatus } from "../provider/faucet-state.js";
import { useFaucetContext, useFaucetState } from "../provider/faucet-provider.js";
import { useLoadOnce } from "../provider/use-load-once.js";

export interface UseProviderKeys {
  /** The user's BYOK keys: `masked` (`sk-...abcd`), never the key. */
  keys: ProviderKey[];
  /** Sends a key once; resolves with its masked form, rejects with the server's error (also in `error`). */
  add(params: AddKeyParams): Promise<ProviderKey>;
  remove(id: string): Promise<void>;
  status: LoadStatus;
  /** The last failed list, add or remove, cleared by the next success. */
  error: Error | null;
}

/** The keys slice, listed on first use when `enabled`. */
export function useKeysState(enabled: boolean): KeysState {
  const { keys } = useFaucetContext();
  const state = useFaucetState((faucetState) => faucetState.keys);
  useLoadOnce(state.status, keys.load, enabled);
  return state;
}

/** The end user's own provider keys (BYOK). */
export function useProviderKeys(): UseProviderKeys {
  const { keys: actions } = useFaucetContext();
  const { keys, status, error } = useKeysState(true);
  return { keys, add: actions.add, remove: actions.remove, status, error };
}
