import { streamErrorFromEvent } from "../errors/error-from-response.js";
import type { RequestSpec } from "../http/transport.js";
import { openFaucetStream, type FaucetStream, type StreamDeps } from "../streaming/faucet-stream.js";
import { parseEventData } from "../streaming/parse-event-data.js";
import type {
  ChatCompletionChunk,
  ChatCompletionRequest,
  ChatUsage,
  ModelfaucetBlock,
  RouteMode,
  UserUsageItem,
} from "../wire-types.js";

/** What a chat stream came to. */
export interface ChatStreamResult {
  request_id: string;
  /** The completion's id (`chatcmpl-…`), null if no chunk arrived. */
  id: string | null;
  model: string | null;
  /** The assistant text delivered (the first choice's content deltas). */
  content: string;
  /** OpenAI's (`stop`, `length`, …); `"aborted"` after an abort. */
  finish_reason: string | null;
  /** The usage billed; after an abort, read from the usage record — null if it could not be read. */
  usage: ChatUsage | null;
  /** What the end user was charged, exactly ("0.00012300"); null as usage. */
  price_usd: string | null;
  route_mode: RouteMode | null;
  /** The wallet's available balance after settlement; null after an abort (see `wallet.get`). */
  available_usd: string | null;
  /** The Gateway's block as sent on the last chunk; null after an abort. */
  modelfaucet: ModelfaucetBlock | null;
}

export type ChatStream = FaucetStream<ChatCompletionChunk, ChatStreamResult>;

/** `usage` as OpenAI counts it, from the usage record of an aborted request. */
function usageOfRecord(billed: UserUsageItem): ChatUsage {
  return {
    prompt_tokens: billed.input_tokens,
    completion_tokens: billed.output_tokens,
    total_tokens: billed.input_tokens + billed.output_tokens,
    prompt_tokens_details: { cached_tokens: billed.cached_tokens },
    cost: Number(billed.price_usd),
  };
}

/** `POST /chat/completions` with `stream: true`, always asking for the usage chunk. */
export function openChatStream(deps: StreamDeps, body: ChatCompletionRequest, options: RequestSpec["options"]) {
  const result: Omit<ChatStreamResult, "request_id"> = {
    id: null,
    model: null,
    content: "",
    finish_reason: null,
    usage: null,
    price_usd: null,
    route_mode: null,
    available_usd: null,
    modelfaucet: null,
  };
  // The usage as the stream sent it: the result's, with its cost, once the block says what was charged.
  let usage: ChatCompletionChunk["usage"];
  const stream: ChatStream = openFaucetStream<ChatCompletionChunk, ChatStreamResult>(
    deps,
    {
      service: "gateway",
      method: "POST",
      path: "/chat/completions",
      body: { ...body, stream: true, stream_options: { ...body.stream_options, include_usage: true } },
      options,
    },
    {
      read(event) {
        if (event.data === "[DONE]") {
          const local = deps.takeLocalBlock?.(stream.requestId);
          if (local && !result.modelfaucet) applyBlock(local);
          return { done: true };
        }
        // Read only once the stream is open, so `stream` is assigned by then.
        const data = parseEventData(event.data, stream.requestId);
        if (data.error !== undefined) throw streamErrorFromEvent(data, stream.requestId);
        const chunk = data as ChatCompletionChunk;
        result.id ??= chunk.id ?? null;
        result.model ??= chunk.model ?? null;
        const choice = chunk.choices.find((candidate) => candidate.index === 0);
        const content = choice?.delta?.content;
        if (typeof content === "string") result.content += content;
        if (choice?.finish_reason) result.finish_reason = choice.finish_reason;
        if (chunk.usage) usage = chunk.usage;
        if (chunk.modelfaucet) applyBlock(chunk.modelfaucet);
        return { item: chunk };
      },
      result: () => ({ request_id: stream.requestId, ...result }),
      aborted: (billed) => {
        deps.takeLocalBlock?.(stream.requestId);
        return {
          request_id: stream.requestId,
          ...result,
          finish_reason: "aborted",
          usage: billed ? usageOfRecord(billed) : null,
          price_usd: billed?.price_usd ?? null,
          route_mode: billed?.route_mode ?? null,
          available_usd: null,
          modelfaucet: null,
        };
      },
    },
  );
  return stream;

  function applyBlock(block: ModelfaucetBlock) {
    result.modelfaucet = block;
    result.price_usd = block.price_usd;
    result.route_mode = block.route_mode;
    result.available_usd = block.available_usd;
    // The Gateway's usage chunk carries its cost; a local server's has none: the block's price is what was paid.
    if (usage) result.usage = { ...usage, cost: usage.cost ?? Number(block.price_usd) };
  }
}
