import { FaucetError } from "@modelfaucet/sdk";

/** What went wrong, in the words of someone using the CRM (the code and request id follow for support). */
export function describeAiError(error: Error): string {
  if (!FaucetError.is(error)) return error.message;
  const reference = error.requestId ? ` (${error.code}, ${error.requestId})` : ` (${error.code})`;
  const reasons: Record<string, string> = {
    insufficient_balance: "Not enough credit in your wallet: top up, or use your own key or a local model.",
    budget_exceeded: "This key or wallet reached its budget.",
    no_available_route: "The chosen route cannot serve this request now: pick another in AI settings.",
    local_bridge_unavailable: "The Local Bridge is not running on this computer.",
    rate_limited: "Too many requests: try again in a moment.",
    provider_error: "The model provider failed to answer.",
  };
  return `${reasons[error.code] ?? error.message}${reference}`;
}
