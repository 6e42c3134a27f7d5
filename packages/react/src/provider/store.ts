/**
 * A minimal external store for `useSyncExternalStore`: one immutable state,
 * replaced whole on each update, so a component re-renders only when the
 * slice it reads is a new object.
 */
export interface Store<State> {
  get(): State;
  update(change: (state: State) => State): void;
  subscribe(listener: () => void): () => void;
}

export function createStore<State>(initial: State): Store<State> {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => state,
    update(change) {
      state = change(state);
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
