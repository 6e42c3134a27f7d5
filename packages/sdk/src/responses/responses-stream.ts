import { streamErrorFromEvent } from "../errors/error-from-response.js";
import type { RequestSpec } from "../http/transport.js";
import { openFaucetStream, type FaucetStream, type StreamDeps } from "../streaming/faucet-stream.js";
import { parseEventData } from "../streaming/parse-event-data.js";
import type {
  ModelfaucetBlock,
  ResponseObject,
  ResponsesRequest,
  ResponseStreamEvent,
  RouteMode,
} from "../wire-types.js";

/** What a Responses stream came to. */
export interface ResponsesStreamResult {
  request_id: string;
  /** The terminal event's `response` (`completed` or `incomplete`); null after an abort. */
  response: ResponseObject | null;
  /** The response's status; `"aborted"` after an abort. */
  status: string;
  /** The text delivered (`response.output_text.delta` events). */
  output_text: string;
  /** The usage billed; after an abort, read from the usage record — null if it could not be read. */
  usage: { input_tokens: number; output_tokens: number; total_tokens: number } | null;
  price_usd: string | null;
  route_mode: RouteMode | null;
  available_usd: string | null;
  modelfaucet: ModelfaucetBlock | null;
}

export type ResponsesStream = FaucetStream<ResponseStreamEvent, ResponsesStreamResult>;

const COMPLETE = new Set(["response.completed", "response.incomplete"]);
const FAILED = new Set(["error", "response.failed"]);

/** `POST /responses` with `stream: true`. Responses streams end with their terminal event (no `[DONE]`). */
export function openResponsesStream(deps: StreamDeps, body: ResponsesRequest, options: RequestSpec["options"]) {
  let outputText = "";
  let completed: ResponseObject | undefined;
  const stream: ResponsesStream = openFaucetStream<ResponseStreamEvent, ResponsesStreamResult>(
    deps,
    { service: "gateway", method: "POST", path: "/responses", body: { ...body, stream: true }, options },
    {
      read(event) {
        const data = parseEventData(event.data, stream.requestId) as ResponseStreamEvent;
        if (FAILED.has(data.type)) throw streamErrorFromEvent(data, stream.requestId);
        if (data.type === "response.output_text.delta" && typeof data.delta === "string") outputText += data.delta;
        if (COMPLETE.has(data.type) && data.response) completed = data.response as ResponseObject;
        return { item: data, done: completed !== undefined };
      },
      result() {
        const response = completed!;
        // Absent only if the Gateway failed to settle the stream (then nothing was charged).
        const block = (response.modelfaucet as ModelfaucetBlock | undefined) ?? null;
        return {
          request_id: stream.requestId,
          response,
          status: response.status,
          output_text: outputText,
          usage: response.usage,
          price_usd: block?.price_usd ?? null,
          route_mode: block?.route_mode ?? null,
          available_usd: block?.available_usd ?? null,
          modelfaucet: block,
        };
      },
      aborted: (billed) => ({
        request_id: stream.requestId,
        response: null,
        status: "aborted",
        output_text: outputText,
        usage: billed
          ? {
              input_tokens: billed.input_tokens,
              output_tokens: billed.output_tokens,
              total_tokens: billed.input_tokens + billed.output_tokens,
            }
          : null,
        price_usd: billed?.price_usd ?? null,
        route_mode: billed?.route_mode ?? null,
        available_usd: null,
        modelfaucet: null,
      }),
    },
  );
  return stream;
}
