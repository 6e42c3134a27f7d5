import { isSaneRequestId } from "@modelfaucet/core";
import type { Dispatcher } from "undici";
import { ProviderError } from "../errors/provider-error.js";
import type { HeaderMap } from "../http/header-map.js";
import { BodyTooLargeError, readBodyText } from "../http/read-body.js";
import { createRedactor } from "../http/redact-secret.js";
import { transportError } from "../http/transport-error.js";
import { UpstreamCall } from "../http/upstream-call.js";
import { UpstreamPools } from "../http/upstream-pools.js";
import type { ChatContext, ChatProvider, ChatResult, ChatStream } from "../spec/chat-provider.js";
import type { ChatCompletion, ChatRequest } from "../spec/chat-wire.js";
import { countChatPromptTokens, countTextTokens } from "../tokens/count-tokens.js";
import { collectChoicesText } from "../usage/generated-text.js";
import { settleUsage } from "../usage/settle-usage.js";
import { mapOpenAIUsage } from "./map-openai-usage.js";
import { OpenAIChatStream } from "./openai-chat-stream.js";
import {
  resolveOpenAICompatibleOptions,
  type OpenAICompatibleProviderOptions,
  type ResolvedOpenAICompatibleOptions,
} from "./openai-compatible-options.js";
import { openAIErrorFromResponse, upstreamRequestId } from "./openai-error-response.js";

/** Most bytes of an error body read (for logs); the rest is discarded. */
const MAX_ERROR_BODY_BYTES = 16 * 1024;

/** A ChatProvider for an OpenAI-compatible upstream, plus the lifecycle of its pools. */
export interface OpenAICompatibleProvider extends ChatProvider {
  /** Closes the provider's private pools (shared pools are left to their owner). */
  close(): Promise<void>;
}

/**
 * An adapter for any server speaking OpenAI's Chat Completions API (OpenAI,
 * Groq, Together, vLLM, the mock…). The request body is forwarded as is,
 * except `stream` (set by the method called) and, for streams,
 * `stream_options.include_usage: true` (always asked, so usage is reported
 * even when the client did not ask for it).
 * https://platform.openai.com/docs/api-reference/chat/create
 */
export function createOpenAICompatibleProvider(options: OpenAICompatibleProviderOptions): OpenAICompatibleProvider {
  const resolved = resolveOpenAICompatibleOptions(options);
  const ownsPools = options.pools === undefined;
  const pools = options.pools ?? new UpstreamPools();
  // Built once; the key lives only here and in the request headers.
  const baseHeaders: Record<string, string> = { "content-type": "application/json", ...options.headers };
  if (options.apiKey !== undefined) baseHeaders.authorization = `Bearer ${options.apiKey}`;
  const redact = createRedactor(options.apiKey);
  const adapter = new OpenAICompatibleAdapter(resolved, pools, baseHeaders, redact);
  return {
    specificationVersion: "v1",
    id: resolved.id,
    chat: (request, ctx) => adapter.chat(request, ctx),
    chatStream: (request, ctx) => adapter.chatStream(request, ctx),
    close: async () => {
      if (ownsPools) await pools.close();
    },
  };
}

class OpenAICompatibleAdapter {
  readonly #options: ResolvedOpenAICompatibleOptions;
  readonly #pools: UpstreamPools;
  readonly #baseHeaders: Readonly<Record<string, string>>;
  readonly #redact: (text: string) => string;
  readonly #path: string;

  constructor(
    options: ResolvedOpenAICompatibleOptions,
    pools: UpstreamPools,
    baseHeaders: Readonly<Record<string, string>>,
    redact: (text: string) => string,
  ) {
    this.#options = options;
    this.#pools = pools;
    this.#baseHeaders = baseHeaders;
    this.#redact = redact;
    this.#path = `${options.basePath}/chat/completions`;
  }

  async chat(request: ChatRequest, ctx: ChatContext): Promise<ChatResult> {
    const call = new UpstreamCall(ctx.signal, this.#options.requestTimeoutMs);
    try {
      const { stream_options: _ignored, ...rest } = request;
      const response = await this.#send({ ...rest, stream: false }, "application/json", ctx, call);
      const requestId = upstreamRequestId(response.headers);
      const text = await this.#readSuccessBody(response, requestId);
      const body = this.#parseCompletion(text, requestId);
      const pieces: string[] = [];
      collectChoicesText(body.choices, "message", pieces);
      const settled = settleUsage({
        reported: mapOpenAIUsage(body.usage),
        producedText: pieces.length > 0,
        estimateInputTokens: () => countChatPromptTokens(request.messages, request.tools),
        estimateOutputTokens: () => countTextTokens(pieces.join("")),
      });
      return {
        body,
        usage: settled.usage,
        usageSource: settled.source,
        rawUsage: body.usage,
        upstreamRequestId: requestId,
      };
    } catch (error) {
      throw transportError(this.#options.id, error, call);
    } finally {
      call.dispose();
    }
  }

  async chatStream(request: ChatRequest, ctx: ChatContext): Promise<ChatStream> {
    const call = new UpstreamCall(ctx.signal, this.#options.streamTimeoutMs);
    try {
      const body = {
        ...request,
        stream: true,
        stream_options: { ...request.stream_options, include_usage: true },
      };
      const response = await this.#send(body, "text/event-stream", ctx, call);
      const requestId = upstreamRequestId(response.headers);
      if (!isEventStream(response.headers)) {
        const text = await readBodyText(response.body, { limitBytes: MAX_ERROR_BODY_BYTES, truncate: true });
        throw this.#invalid("a non-event-stream answer to a streaming request", requestId, text);
      }
      return new OpenAIChatStream({
        providerId: this.#options.id,
        body: response.body,
        call,
        upstreamRequestId: requestId,
        estimateInputTokens: () => countChatPromptTokens(request.messages, request.tools),
        redact: this.#redact,
        sseLimits: { maxLineBytes: this.#options.maxStreamLineBytes },
      });
    } catch (error) {
      call.dispose();
      throw transportError(this.#options.id, error, call);
    }
  }

  /** Sends the request; resolves with a 2xx response, throws ProviderError on any other status. */
  async #send(
    body: object,
    accept: string,
    ctx: ChatContext,
    call: UpstreamCall,
  ): Promise<Dispatcher.ResponseData<null>> {
    if (call.cause !== undefined) throw transportError(this.#options.id, new Error("aborted before sending"), call);
    const headers: Record<string, string> = { ...this.#baseHeaders, accept };
    if (isSaneRequestId(ctx.requestId)) headers["x-client-request-id"] = ctx.requestId;
    const response = await this.#pools.get(this.#options.origin).request({
      path: this.#path,
      method: "POST",
      headers,
      body: JSON.stringify(body),
      signal: call.signal,
      headersTimeout: this.#options.headersTimeoutMs,
      bodyTimeout: this.#options.bodyTimeoutMs,
    });
    if (response.statusCode >= 200 && response.statusCode < 300) return response;
    throw await this.#httpError(response);
  }

  async #httpError(response: Dispatcher.ResponseData<null>): Promise<ProviderError> {
    let bodyText = "";
    try {
      bodyText = await readBodyText(response.body, { limitBytes: MAX_ERROR_BODY_BYTES, truncate: true });
    } catch {
      // The status is what matters; a body cut short is still logged as far as it came.
    }
    return openAIErrorFromResponse(
      this.#options.id,
      { statusCode: response.statusCode, headers: response.headers as HeaderMap, bodyText },
      this.#redact,
    );
  }

  async #readSuccessBody(response: Dispatcher.ResponseData<null>, requestId: string | undefined): Promise<string> {
    try {
      return await readBodyText(response.body, { limitBytes: this.#options.maxResponseBytes, truncate: false });
    } catch (error) {
      if (error instanceof BodyTooLargeError) throw this.#invalid(`a body over ${error.limitBytes} bytes`, requestId);
      throw error;
    }
  }

  #parseCompletion(text: string, requestId: string | undefined): ChatCompletion {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw this.#invalid("a body that is not JSON", requestId, text);
    }
    if (typeof body !== "object" || body === null || !Array.isArray((body as { choices?: unknown }).choices)) {
      throw this.#invalid("a body without a choices array", requestId, text);
    }
    return body as ChatCompletion;
  }

  #invalid(what: string, requestId: string | undefined, rawBody?: string): ProviderError {
    const id = this.#options.id;
    return new ProviderError(id, "invalid_response", `Upstream "${id}" sent ${what}.`, {
      retryable: false,
      upstreamRequestId: requestId,
      rawBody: rawBody === undefined ? undefined : this.#redact(rawBody),
    });
  }
}

function isEventStream(headers: HeaderMap): boolean {
  const value = headers["content-type"];
  const type = Array.isArray(value) ? value[0] : value;
  return type !== undefined && type.toLowerCase().includes("text/event-stream");
}
