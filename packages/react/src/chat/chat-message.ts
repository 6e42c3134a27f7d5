import type { ChatUsage, RouteMode } from "@modelfaucet/sdk";

/** One turn of a conversation held by useChat. */
export interface ChatMessage {
  /** Stable within the hook, for React keys. */
  id: string;
  role: "system" | "user" | "assistant";
  /** The text; an assistant's grows as tokens arrive and stays as it was when stopped. */
  content: string;
  /** The answer's x-request-id (assistant only): its row in `wallet.history`. */
  request_id?: string;
  /** What the answer was billed for (assistant only): undefined until the stream settled, null when it could not be read. */
  usage?: ChatUsage | null;
  /** What the answer cost the user, exactly ("0.00012300"); as `usage`. */
  price_usd?: string | null;
  route_mode?: RouteMode | null;
  /** OpenAI's finish reason, `"aborted"` after stop(); undefined while streaming. */
  finish_reason?: string | null;
}

/** `ready` (idle), `submitted` (sent, nothing back yet), `streaming` (tokens arriving), `error` (see `error`). */
export type ChatStatus = "ready" | "submitted" | "streaming" | "error";
