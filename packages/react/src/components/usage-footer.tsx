import type { ChatMessage } from "../chat/chat-message.js";
import { formatUsd } from "../usd.js";
import { ROUTE_LABELS } from "./route-mode-labels.js";

export interface UsageFooterProps {
  /** An assistant message of useChat; nothing is shown for other roles. */
  message: ChatMessage;
  className?: string | undefined;
}

/**
 * The tokens and cost of one answer, as billed. `data-state`: `pending`
 * (still streaming or settling), `complete`, `stopped` (the user stopped it:
 * billed for what arrived) or `unknown` (the usage could not be read).
 */
export function UsageFooter({ message, className }: UsageFooterProps) {
  if (message.role !== "assistant") return null;
  const { usage, price_usd: price, route_mode: route, finish_reason: finish } = message;
  const stopped = finish === "aborted";
  if (usage === undefined && price === undefined) {
    return (
      <p className={className} data-state="pending">
        Counting…
      </p>
    );
  }
  const parts = [
    usage ? `${usage.prompt_tokens} in, ${usage.completion_tokens} out` : "tokens unknown",
    price ? formatUsd(price) : "cost unknown",
    route ? ROUTE_LABELS[route] : undefined,
    stopped ? "stopped" : undefined,
  ].filter((part) => part !== undefined);
  const state = usage && price ? (stopped ? "stopped" : "complete") : "unknown";
  return (
    <p className={className} data-state={state}>
      {parts.join(" · ")}
    </p>
  );
}
