import { FaucetError } from "@modelfaucet/sdk";
import { useFaucetState } from "../provider/faucet-provider.js";
import { formatUsd } from "../usd.js";
import { TopUpButton, type TopUpButtonProps } from "./top-up-button.js";

export interface InsufficientBalanceNoticeProps {
  /** What the top-up button asks for (default "10.00"). */
  topUpAmountUsd?: string | undefined;
  successUrl?: TopUpButtonProps["successUrl"];
  cancelUrl?: TopUpButtonProps["cancelUrl"];
  onCheckout?: TopUpButtonProps["onCheckout"];
  className?: string | undefined;
}

const detail = (error: FaucetError, name: string) => {
  const value = error.details[name];
  return typeof value === "string" ? formatUsd(value) : "unknown";
};

/**
 * An alert shown while the last chat under the provider failed with 402
 * `insufficient_balance`: what the request needed held, what the wallet had,
 * and a top-up button. Renders nothing otherwise. `data-state`: `shown`.
 */
export function InsufficientBalanceNotice({
  topUpAmountUsd,
  successUrl,
  cancelUrl,
  onCheckout,
  className,
}: InsufficientBalanceNoticeProps) {
  const error = useFaucetState((state) => state.chatError);
  if (!FaucetError.is(error, "insufficient_balance")) return null;
  return (
    <div role="alert" className={className} data-state="shown">
      <p>
        Not enough credit: this request needs {detail(error, "needed_usd")} and your wallet has{" "}
        {detail(error, "available_usd")} available.
      </p>
      <TopUpButton amountUsd={topUpAmountUsd} successUrl={successUrl} cancelUrl={cancelUrl} onCheckout={onCheckout} />
    </div>
  );
}
