import type { Dispatcher } from "undici";
import { ProviderError } from "../errors/provider-error.js";
import type { HeaderMap } from "../http/header-map.js";
import { readBodyText } from "../http/read-body.js";
import { createRedactor } from "../http/redact-secret.js";
import { readOpenAIJsonObject, sendOpenAIRequest, type OpenAIEndpoint } from "../http/send-openai-request.js";
import { transportError } from "../http/transport-error.js";
import { UpstreamCall } from "../http/upstream-call.js";
import { UpstreamPools } from "../http/upstream-pools.js";
import {
  resolveOpenAICompatibleOptions,
  type OpenAICompatibleProviderOptions,
} from "../openai-compatible/openai-compatible-options.js";
import { upstreamRequestId } from "../openai-compatible/openai-error-response.js";
import type { NormalizedUsage } from "../spec/normalized-usage.js";
import { parseSse } from "../sse/parse-sse.js";
import { mapResponsesUsage } from "./map-responses-usage.js";
import type { ResponsesEvent, ResponsesEventStream, ResponsesProvider } from "./responses-provider.js";

/** A ResponsesProvider plus the lifecycle of its pools. */
export interface OpenAIResponsesProvider extends ResponsesProvider {
  close(): Promise<void>;
}

const TERMINAL_EVENTS = new Set(["response.completed", "response.incomplete", "response.failed"]);

/**
 * Native pass-through to `POST {baseUrl}/responses` (OpenAI). The body is
 * forwarded as is, with `stream` set by the method called; events are
 * relayed unchanged, usage read from the terminal event.
 * https://platform.openai.com/docs/api-reference/responses/create
 */
export function createOpenAIResponsesProvider(options: OpenAICompatibleProviderOptions): OpenAIResponsesProvider {
  const resolved = resolveOpenAICompatibleOptions(options);
  const ownsPools = options.pools === undefined;
  const pools = options.pools ?? new UpstreamPools();
  const baseHeaders: Record<string, string> = { "content-type": "application/json", ...options.headers };
  if (options.apiKey !== undefined) baseHeaders.authorization = `Bearer ${options.apiKey}`;
  const endpoint: OpenAIEndpoint = { options: resolved, pools, baseHeaders, redact: createRedactor(options.apiKey) };
  const id = resolved.id;
  return {
    specificationVersion: "v1",
    id,
    async create(request, ctx) {
      const call = new UpstreamCall(ctx.signal, resolved.requestTimeoutMs);
      try {
        const body = { ...request, stream: false };
        const response = await sendOpenAIRequest(endpoint, "/responses", body, "application/json", ctx.requestId, call);
        const requestId = upstreamRequestId(response.headers);
        const parsed = await readOpenAIJsonObject(endpoint, response, requestId);
        return { body: parsed, usage: mapResponsesUsage(parsed.usage), upstreamRequestId: requestId };
      } catch (error) {
        throw transportError(id, error, call);
      } finally {
        call.dispose();
      }
    },
    async stream(request, ctx) {
      const call = new UpstreamCall(ctx.signal, resolved.streamTimeoutMs);
      try {
        const body = { ...request, stream: true };
        const response = await sendOpenAIRequest(
          endpoint,
          "/responses",
          body,
          "text/event-stream",
          ctx.requestId,
          call,
        );
        const requestId = upstreamRequestId(response.headers);
        const type = (response.headers as HeaderMap)["content-type"];
        if (
          !String(type ?? "")
            .toLowerCase()
            .includes("text/event-stream")
        ) {
          const text = await readBodyText(response.body, { limitBytes: 16 * 1024, truncate: true });
          throw new ProviderError(
            id,
            "invalid_response",
            `Upstream "${id}" sent a non-event-stream answer to a streaming request.`,
            {
              retryable: false,
              upstreamRequestId: requestId,
              rawBody: endpoint.redact(text),
            },
          );
        }
        return new NativeResponsesStream(endpoint, response, call, requestId);
      } catch (error) {
        call.dispose();
        throw transportError(id, error, call);
      }
    },
    close: async () => {
      if (ownsPools) await pools.close();
    },
  };
}

class NativeResponsesStream implements ResponsesEventStream {
  usage: NormalizedUsage | undefined;
  deliveredText = "";
  readonly upstreamRequestId: string | undefined;
  readonly #endpoint: OpenAIEndpoint;
  readonly #response: Dispatcher.ResponseData<null>;
  readonly #call: UpstreamCall;

  constructor(
    endpoint: OpenAIEndpoint,
    response: Dispatcher.ResponseData<null>,
    call: UpstreamCall,
    requestId: string | undefined,
  ) {
    this.#endpoint = endpoint;
    this.#response = response;
    this.#call = call;
    this.upstreamRequestId = requestId;
  }

  cancel(): void {
    this.#call.abort("consumer");
    this.#response.body.destroy();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<ResponsesEvent> {
    const id = this.#endpoint.options.id;
    let terminal = false;
    try {
      for await (const sse of parseSse(this.#response.body, {
        maxLineBytes: this.#endpoint.options.maxStreamLineBytes,
      })) {
        let payload: unknown;
        try {
          payload = JSON.parse(sse.data);
        } catch {
          continue; // keep-alives and non-JSON lines carry nothing to relay
        }
        if (typeof payload !== "object" || payload === null) continue;
        const record = payload as Record<string, unknown>;
        const type = typeof record.type === "string" ? record.type : sse.event;
        if (type === "error") {
          throw new ProviderError(id, "stream_error", `Upstream "${id}" reported an error mid-stream.`, {
            retryable: false,
            rawBody: this.#endpoint.redact(sse.data),
          });
        }
        if (type === "response.output_text.delta" && typeof record.delta === "string")
          this.deliveredText += record.delta;
        if (type !== undefined && TERMINAL_EVENTS.has(type)) {
          terminal = true;
          const response = record.response;
          this.usage = mapResponsesUsage(
            typeof response === "object" && response !== null ? (response as { usage?: unknown }).usage : undefined,
          );
        }
        yield { event: sse.event, data: sse.data, payload: record };
      }
      if (!terminal) {
        throw new ProviderError(id, "stream_interrupted", `Upstream "${id}" stream ended before its last event.`, {
          retryable: false,
        });
      }
    } catch (error) {
      throw transportError(id, error, this.#call);
    } finally {
      this.#call.dispose();
      this.#response.body.destroy();
    }
  }
}
