import { useState, type ReactNode } from "react";
import { asError } from "../provider/faucet-state.js";
import { formatUsd } from "../usd.js";
import { useWallet } from "../wallet/use-wallet.js";

export interface TopUpButtonProps {
  /** USD, 1.00–10000.00 in whole cents (default "10.00"). */
  amountUsd?: string | undefined;
  successUrl?: string | undefined;
  cancelUrl?: string | undefined;
  /** Where to send the user once Stripe Checkout is ready (default: navigate there). */
  onCheckout?: ((url: string) => void) | undefined;
  className?: string | undefined;
  /** The button's text (default "Top up $10.00"). */
  children?: ReactNode;
}

/** Starts a Stripe Checkout top-up. `data-state`: `idle`, `pending` or `error` (the reason follows, as an alert). */
export function TopUpButton({
  amountUsd = "10.00",
  successUrl,
  cancelUrl,
  onCheckout,
  className,
  children,
}: TopUpButtonProps) {
  const { topUp } = useWallet();
  const [state, setState] = useState<{ status: "idle" | "pending" | "error"; error?: Error }>({ status: "idle" });
  async function start() {
    setState({ status: "pending" });
    try {
      const { url } = await topUp({ amountUsd, successUrl, cancelUrl });
      setState({ status: "idle" });
      (onCheckout ?? ((checkout: string) => window.location.assign(checkout)))(url);
    } catch (error) {
      setState({ status: "error", error: asError(error) });
    }
  }
  return (
    <>
      <button
        type="button"
        className={className}
        data-state={state.status}
        aria-busy={state.status === "pending"}
        disabled={state.status === "pending"}
        onClick={start}
      >
        {children ?? `Top up ${formatUsd(amountUsd)}`}
      </button>
      {state.error && <span role="alert">Top-up failed: {state.error.message}</span>}
    </>
  );
}
