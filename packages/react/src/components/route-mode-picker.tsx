import type { RouteChoice, RouteMode } from "@modelfaucet/sdk";
import { useId } from "react";
import { useKeysState } from "../keys/use-provider-keys.js";
import { useLocalBridgeState, type UseLocalBridge } from "../local/use-local-bridge.js";
import type { KeysState, WalletState } from "../provider/faucet-state.js";
import { isPositiveUsd } from "../usd.js";
import { useWalletState } from "../wallet/use-wallet.js";
import { ROUTE_LABELS } from "./route-mode-labels.js";

export interface RouteModePickerProps {
  /** The modes the user's session allows: the grant's `availableModes`. */
  availableModes: readonly RouteMode[];
  value: RouteChoice;
  onChange(route: RouteChoice): void;
  /** Text of the group's legend (default "Route"). */
  label?: string | undefined;
  className?: string | undefined;
}

/** What tells whether a mode can serve now. */
interface Readiness {
  wallet: WalletState;
  keys: KeysState;
  local: UseLocalBridge["status"];
}

/** Why `mode` cannot be chosen now, or undefined when it can. */
function unavailableReason(mode: RouteChoice, { wallet, keys, local }: Readiness): string | undefined {
  if (mode === "platform" && wallet.availableUsd !== null && !isPositiveUsd(wallet.availableUsd)) {
    return "your wallet is empty";
  }
  if (mode === "byok") {
    if (keys.status === "ready" && keys.keys.length === 0) return "no key added";
    if (keys.status === "error") return "your keys could not be read";
  }
  if (mode === "local") {
    if (local === "detecting") return "looking for the Local Bridge";
    if (local === "unavailable") return "Local Bridge not running";
    if (local === "blocked") return "the Local Bridge does not allow this page";
  }
  return undefined;
}

/**
 * Radio buttons for `auto` and each of the session's modes. A mode that
 * cannot serve now is disabled and says why (`your wallet is empty`, `no
 * key added`, `Local Bridge not running`). Each option's `data-state`: `available` or `unavailable`.
 */
export function RouteModePicker({ availableModes, value, onChange, label = "Route", className }: RouteModePickerProps) {
  const wallet = useWalletState(availableModes.includes("platform"));
  const keys = useKeysState(availableModes.includes("byok"));
  const local = useLocalBridgeState(availableModes.includes("local"));
  const id = useId();
  const choices: RouteChoice[] = ["auto", ...availableModes];
  return (
    <fieldset className={className}>
      <legend>{label}</legend>
      {choices.map((mode) => {
        const reason = unavailableReason(mode, { wallet, keys, local });
        return (
          <div key={mode} data-state={reason === undefined ? "available" : "unavailable"} data-mode={mode}>
            <input
              id={`${id}${mode}`}
              type="radio"
              name={`${id}route`}
              value={mode}
              checked={value === mode}
              disabled={reason !== undefined}
              aria-describedby={reason === undefined ? undefined : `${id}${mode}why`}
              onChange={() => onChange(mode)}
            />
            <label htmlFor={`${id}${mode}`}>{ROUTE_LABELS[mode]}</label>
            {reason !== undefined && <span id={`${id}${mode}why`}> ({reason})</span>}
          </div>
        );
      })}
    </fieldset>
  );
}
