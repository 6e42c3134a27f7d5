import type { Faucet } from "@modelfaucet/sdk";
import { createContext, useContext, useEffect, useMemo, useSyncExternalStore, type ReactNode } from "react";
import { localBridgeActions } from "../local/local-bridge-actions.js";
import { providerKeyActions } from "../keys/provider-key-actions.js";
import { walletActions } from "../wallet/wallet-actions.js";
import { INITIAL_FAUCET_STATE, type FaucetState } from "./faucet-state.js";
import { createStore } from "./store.js";

function createFaucetContext(client: Faucet) {
  const store = createStore<FaucetState>(INITIAL_FAUCET_STATE);
  return {
    client,
    store,
    wallet: walletActions(client, store),
    keys: providerKeyActions(client, store),
    local: localBridgeActions(client, store),
    chat: {
      /** A chat started: the last one's error no longer stands. */
      started: () => store.update((state) => (state.chatError ? { ...state, chatError: null } : state)),
      failed: (error: Error) => store.update((state) => ({ ...state, chatError: error })),
    },
  };
}

export type FaucetContextValue = ReturnType<typeof createFaucetContext>;

const FaucetContext = createContext<FaucetContextValue | null>(null);

export interface FaucetProviderProps {
  /** The user's client, from `createFaucet` of `@modelfaucet/sdk`. Create it once, outside render. */
  client: Faucet;
  children?: ReactNode;
}

/**
 * Gives the hooks and components below it one client and the state they
 * share: a key added in ByokKeyForm shows in RouteModePicker, an answer
 * in useChat moves WalletBadge. The wallet is read again when the window
 * regains focus (the user may have topped up in another tab).
 */
export function FaucetProvider({ client, children }: FaucetProviderProps) {
  const value = useMemo(() => createFaucetContext(client), [client]);
  useEffect(() => {
    const onFocus = () => {
      if (value.store.get().wallet.status !== "idle") void value.wallet.refresh();
    };
    window.addEventListener("focus", onFocus);
    return () => window.removeEventListener("focus", onFocus);
  }, [value]);
  return <FaucetContext.Provider value={value}>{children}</FaucetContext.Provider>;
}

/** The provider's client and shared state; throws outside a FaucetProvider. */
export function useFaucetContext(): FaucetContextValue {
  const value = useContext(FaucetContext);
  if (!value) throw new Error("@modelfaucet/react: wrap this component in <FaucetProvider client={…}>.");
  return value;
}

/** The client the nearest FaucetProvider was given, for calls the hooks do not cover. */
export function useFaucet(): Faucet {
  return useFaucetContext().client;
}

/** One slice of the shared state; the component re-renders when that slice changes. */
export function useFaucetState<Slice>(select: (state: FaucetState) => Slice): Slice {
  const { store } = useFaucetContext();
  return useSyncExternalStore(
    store.subscribe,
    () => select(store.get()),
    () => select(store.get()),
  );
}
