import { useWallet } from "@modelfaucet/react";
import { useCallback, useEffect, useRef, useState } from "react";

export type AiTaskState<T> =
  { status: "idle" } | { status: "running" } | { status: "done"; result: T } | { status: "error"; error: Error };

/**
 * One AI call at a time (a summary, an extraction, a search): its state, and
 * the wallet read again once it settled, so the badge shows what it cost.
 * A new run, or leaving the page, aborts the one before.
 */
export function useAiTask<T>() {
  const { refresh } = useWallet();
  const [state, setState] = useState<AiTaskState<T>>({ status: "idle" });
  const current = useRef<AbortController | null>(null);

  const run = useCallback(
    async (call: (signal: AbortSignal) => Promise<T>) => {
      current.current?.abort();
      const controller = new AbortController();
      current.current = controller;
      setState({ status: "running" });
      try {
        const result = await call(controller.signal);
        if (current.current === controller) setState({ status: "done", result });
      } catch (error) {
        if (current.current === controller) setState({ status: "error", error: error as Error });
      } finally {
        if (current.current === controller) current.current = null;
        void refresh();
      }
    },
    [refresh],
  );

  useEffect(() => () => current.current?.abort(), []);
  return { state, run };
}
