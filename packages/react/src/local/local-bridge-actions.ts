import type { Faucet } from "@modelfaucet/sdk";
import type { FaucetState, LocalBridgeState } from "../provider/faucet-state.js";
import type { Store } from "../provider/store.js";

export type LocalBridgeActions = ReturnType<typeof localBridgeActions>;

export function localBridgeActions(client: Faucet, store: Store<FaucetState>) {
  let detecting: Promise<void> | undefined;
  const set = (local: LocalBridgeState) => store.update((state) => ({ ...state, local }));
  return {
    /** Looks for the Local Bridge on loopback (`client.local.detect()`); calls while one looks share it. */
    detect(): Promise<void> {
      detecting ??= (async () => {
        set({ status: "detecting", models: store.get().local.models });
        try {
          set(await client.local.detect());
        } catch {
          set({ status: "unavailable", models: [] });
        } finally {
          detecting = undefined;
        }
      })();
      return detecting;
    },
  };
}
