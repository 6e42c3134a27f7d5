import { isSaneRequestId } from "@modelfaucet/core";
import type { Dispatcher } from "undici";
import { ProviderError } from "../errors/provider-error.js";
import type { HeaderMap } from "../http/header-map.js";
import { BodyTooLargeError, readBodyText } from "../http/read-body.js";
import { createRedactor } from "../http/redact-secret.js";
import { transportError } from "../http/transport-error.js";
import { UpstreamCall } from "../http/upstream-call.js";
import { UpstreamPools } from "../http/upstream-pools.js";
import type { ChatContext, ChatProvider, ChatResult } from "../spec/chat-provider.js";
import type { ChatRequest } from "../spec/chat-wire.js";
import { countChatPromptTokens, countTextTokens } from "../tokens/count-tokens.js";
import { collectChoicesText } from "../usage/generated-text.js";
import { settleUsage } from "../usage/settle-usage.js";
import { AnthropicChatStream } from "./anthropic-chat-stream.js";
import { anthropicErrorFromResponse, anthropicRequestId } from "./anthropic-error.js";
import {
  resolveAnthropicOptions,
  type AnthropicProviderOptions,
  type ResolvedAnthropicOptions,
} from "./anthropic-options.js";
import type { AnthropicWarning } from "./anthropic-warning.js";
import { buildAnthropicRequestBody } from "./build-anthropic-request-body.js";
import {
  convertAnthropicMessageToCompletion,
  isAnthropicResponseMessage,
  type AnthropicResponseMessage,
} from "./convert-anthropic-message-to-completion.js";
import { mapAnthropicUsage, toOpenAIUsage } from "./map-anthropic-usage.js";

/** Most bytes of an error body read (for logs); the rest is discarded. */
const MAX_ERROR_BODY_BYTES = 16 * 1024;

/**
 * A ChatResult built from an Anthropic answer. `body` is an OpenAI
 * `chat.completion` translated from Anthropic's message (not the upstream
 * body unchanged, which the spec promises for OpenAI-compatible upstreams),
 * `rawUsage` is Anthropic's own `usage`.
 */
export interface AnthropicChatResult extends ChatResult {
  /** Settings Anthropic could not honour and the adapter dropped or changed; empty when none. */
  readonly warnings: readonly AnthropicWarning[];
}

/**
 * A ChatProvider for Anthropic's Messages API, plus the lifecycle of its
 * pools. `chat` and `chatStream` resolve to the spec's types extended with
 * `warnings` (the spec has no such concept yet: a gateway holding a plain
 * ChatProvider simply does not see them).
 */
export interface AnthropicProvider extends ChatProvider {
  chat(request: ChatRequest, ctx: ChatContext): Promise<AnthropicChatResult>;
  chatStream(request: ChatRequest, ctx: ChatContext): Promise<AnthropicChatStream>;
  /** Closes the provider's private pools (shared pools are left to their owner). */
  close(): Promise<void>;
}

/**
 * An adapter serving OpenAI-shaped chat completions from Anthropic's
 * Messages API (`POST /v1/messages`, `x-api-key`, `anthropic-version`).
 * Requests are translated by buildAnthropicRequestBody, answers by
 * convertAnthropicMessageToCompletion / AnthropicStreamTranslator, errors
 * by anthropicErrorFromResponse.
 * https://docs.anthropic.com/en/api/messages
 */
export function createAnthropicProvider(options: AnthropicProviderOptions): AnthropicProvider {
  const resolved = resolveAnthropicOptions(options);
  const ownsPools = options.pools === undefined;
  const pools = options.pools ?? new UpstreamPools();
  // Built once; the key lives only here and in the request headers.
  const baseHeaders: Record<string, string> = {
    "content-type": "application/json",
    ...options.headers,
    "x-api-key": options.apiKey,
    "anthropic-version": resolved.anthropicVersion,
  };
  const adapter = new AnthropicAdapter(resolved, pools, baseHeaders, createRedactor(options.apiKey));
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

class AnthropicAdapter {
  readonly #options: ResolvedAnthropicOptions;
  readonly #pools: UpstreamPools;
  readonly #baseHeaders: Readonly<Record<string, string>>;
  readonly #redact: (text: string) => string;

  constructor(
    options: ResolvedAnthropicOptions,
    pools: UpstreamPools,
    baseHeaders: Readonly<Record<string, string>>,
    redact: (text: string) => string,
  ) {
    this.#options = options;
    this.#pools = pools;
    this.#baseHeaders = baseHeaders;
    this.#redact = redact;
  }

  async chat(request: ChatRequest, ctx: ChatContext): Promise<AnthropicChatResult> {
    const plan = buildAnthropicRequestBody(request, {
      stream: false,
      defaultMaxTokens: this.#options.defaultMaxTokens,
    });
    const call = new UpstreamCall(ctx.signal, this.#options.requestTimeoutMs);
    try {
      const response = await this.#send(plan.body, "application/json", ctx, call);
      const requestId = anthropicRequestId(response.headers);
      const text = await this.#readSuccessBody(response, requestId);
      const message = this.#parseMessage(text, requestId);
      const completion = convertAnthropicMessageToCompletion(message, nowSeconds());
      const pieces: string[] = [];
      collectChoicesText(completion.choices, "message", pieces);
      const settled = settleUsage({
        reported: mapAnthropicUsage(message.usage),
        producedText: pieces.length > 0,
        estimateInputTokens: () => countChatPromptTokens(request.messages, request.tools),
        estimateOutputTokens: () => countTextTokens(pieces.join("")),
      });
      return {
        body: { ...completion, usage: toOpenAIUsage(settled.usage) },
        usage: settled.usage,
        usageSource: settled.source,
        rawUsage: message.usage,
        upstreamRequestId: requestId,
        warnings: plan.warnings,
      };
    } catch (error) {
      throw transportError(this.#options.id, error, call);
    } finally {
      call.dispose();
    }
  }

  async chatStream(request: ChatRequest, ctx: ChatContext): Promise<AnthropicChatStream> {
    const plan = buildAnthropicRequestBody(request, { stream: true, defaultMaxTokens: this.#options.defaultMaxTokens });
    const call = new UpstreamCall(ctx.signal, this.#options.streamTimeoutMs);
    try {
      const response = await this.#send(plan.body, "text/event-stream", ctx, call);
      const requestId = anthropicRequestId(response.headers);
      if (!isEventStream(response.headers)) {
        const text = await readBodyText(response.body, { limitBytes: MAX_ERROR_BODY_BYTES, truncate: true });
        throw this.#invalid("a non-event-stream answer to a streaming request", requestId, text);
      }
      return new AnthropicChatStream({
        providerId: this.#options.id,
        body: response.body,
        call,
        upstreamRequestId: requestId,
        estimateInputTokens: () => countChatPromptTokens(request.messages, request.tools),
        redact: this.#redact,
        sseLimits: { maxLineBytes: this.#options.maxStreamLineBytes },
        createdSeconds: nowSeconds(),
        warnings: plan.warnings,
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
      path: this.#options.messagesPath,
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
    return anthropicErrorFromResponse(
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

  #parseMessage(text: string, requestId: string | undefined): AnthropicResponseMessage {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw this.#invalid("a body that is not JSON", requestId, text);
    }
    if (!isAnthropicResponseMessage(body)) throw this.#invalid("a body that is not a message", requestId, text);
    return body;
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

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function isEventStream(headers: HeaderMap): boolean {
  const value = headers["content-type"];
  const type = Array.isArray(value) ? value[0] : value;
  return type !== undefined && type.toLowerCase().includes("text/event-stream");
}
