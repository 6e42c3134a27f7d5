import type { LocalModel } from "@modelfaucet/sdk";
import type { LocalBridgeState } from "../provider/faucet-state.js";
import { useFaucetContext, useFaucetState } from "../provider/faucet-provider.js";
import { useLoadOnce } from "../provider/use-load-once.js";

export interface UseLocalBridge {
  /**
   * `available`: the bridge answered and serves `models`; `blocked`: it runs
   * but does not allow this page's origin; `unavailable`: nothing answered
   * (or it serves no model); `detecting` while it looks.
   */
  status: Exclude<LocalBridgeState["status"], "idle">;
  models: LocalModel[];
  /** Looks again (after the user started the bridge, say). */
  refresh(): Promise<void>;
}

/** The local slice, detected on first use when `enabled`. */
export function useLocalBridgeState(enabled: boolean): UseLocalBridge["status"] {
  const { local } = useFaucetContext();
  const { status } = useFaucetState((state) => state.local);
  useLoadOnce(status, local.detect, enabled);
  return status === "idle" ? "detecting" : status;
}

/** The Local Bridge on the user's machine (`client.local.detect()`), looked for on first use. */
export function useLocalBridge(): UseLocalBridge {
  const { local } = useFaucetContext();
  const status = useLocalBridgeState(true);
  const { models } = useFaucetState((state) => state.local);
  return { status, models, refresh: local.detect };
}
