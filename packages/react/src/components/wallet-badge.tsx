import { formatUsd } from "../usd.js";
import { useWallet } from "../wallet/use-wallet.js";

export interface WalletBadgeProps {
  className?: string | undefined;
  /** Text before the amount (default "Wallet"). */
  label?: string | undefined;
}

/**
 * What the user can spend now (balance minus holds), exact to the 1e-8 USD
 * unit. A polite live region: screen readers hear it change after an answer.
 * `data-state`: `loading`, `ready` or `error`.
 */
export function WalletBadge({ className, label = "Wallet" }: WalletBadgeProps) {
  const { availableUsd, status } = useWallet();
  const state = status === "error" ? "error" : availableUsd === null ? "loading" : "ready";
  const amount = availableUsd === null ? (status === "error" ? "unavailable" : "…") : formatUsd(availableUsd);
  return (
    <output className={className} data-state={state} aria-live="polite">
      {label}: {amount}
    </output>
  );
}
