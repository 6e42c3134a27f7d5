import type { AddKeyParams, Faucet, ProviderKey } from "@modelfaucet/sdk";
import { asError, type FaucetState, type KeysState } from "../provider/faucet-state.js";
import type { Store } from "../provider/store.js";

export type ProviderKeyActions = ReturnType<typeof providerKeyActions>;

export function providerKeyActions(client: Faucet, store: Store<FaucetState>) {
  let listing: Promise<void> | undefined;
  const set = (change: (keys: KeysState) => Partial<KeysState>) =>
    store.update((state) => ({ ...state, keys: { ...state.keys, ...change(state.keys) } }));
  const failed = (error: unknown) => {
    const reported = asError(error);
    set(() => ({ error: reported }));
    return reported;
  };

  return {
    /** Lists the user's keys; calls while a list is on its way share it. Never rejects (see `error`). */
    load(): Promise<void> {
      listing ??= (async () => {
        set(() => ({ status: "loading" }));
        try {
          const keys = await client.keys.list();
          set(() => ({ status: "ready", keys, error: null }));
        } catch (error) {
          set(() => ({ status: "error", error: asError(error) }));
        } finally {
          listing = undefined;
        }
      })();
      return listing;
    },
    /** Sends the key once; what comes back (and is kept) is its masked form. Rejects with the server's error. */
    async add(params: AddKeyParams): Promise<ProviderKey> {
      try {
        const added = await client.keys.add(params);
        set(({ keys }) => ({ keys: [...keys.filter((key) => key.id !== added.id), added], error: null }));
        return added;
      } catch (error) {
        throw failed(error);
      }
    },
    async remove(id: string): Promise<void> {
      try {
        await client.keys.remove(id);
        set(({ keys }) => ({ keys: keys.filter((key) => key.id !== id), error: null }));
      } catch (error) {
        throw failed(error);
      }
    },
  };
}
