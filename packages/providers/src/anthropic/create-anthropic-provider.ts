import { pooledChatProvider, type PooledChatProvider } from "../chat-adapter/pooled-chat-provider.js";
import { transportError } from "../http/transport-error.js";
import { UpstreamCall } from "../http/upstream-call.js";
import { UpstreamEndpoint } from "../http/upstream-endpoint.js";
import type { ChatContext, ChatResult } from "../spec/chat-provider.js";
import type { ChatRequest } from "../spec/chat-wire.js";
import { countChatPromptTokens } from "../tokens/count-tokens.js";
import { settleCompletionUsage } from "../usage/settle-completion-usage.js";
import { AnthropicChatStream } from "./anthropic-chat-stream.js";
import { anthropicErrorFromResponse, anthropicRequestId } from "./anthropic-error.js";
import {
  resolveAnthropicOptions,
  type AnthropicProviderOptions,
  type ResolvedAnthropicOptions,
} from "./anthropic-options.js";
import { buildAnthropicRequestBody } from "./build-anthropic-request-body.js";
import {
  convertAnthropicMessageToCompletion,
  isAnthropicResponseMessage,
  type AnthropicResponseMessage,
} from "./convert-anthropic-message-to-completion.js";
import { mapAnthropicUsage, toOpenAIUsage } from "./map-anthropic-usage.js";

/**
 * A ChatProvider for Anthropic's Messages API, plus the lifecycle of its
 * pools. A result's `body` is an OpenAI `chat.completion` translated from
 * Anthropic's message (not the upstream body unchanged, which the spec
 * promises for OpenAI-compatible upstreams); `rawUsage` is Anthropic's own
 * `usage`; `warnings` say what of the request Anthropic could not honour.
 */
export type AnthropicProvider = PooledChatProvider<ChatResult, AnthropicChatStream>;

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
  // Built once; the key lives only here and in the request headers.
  const baseHeaders: Record<string, string> = {
    "content-type": "application/json",
    ...options.headers,
    "x-api-key": options.apiKey,
    "anthropic-version": resolved.anthropicVersion,
  };
  const endpoint = new UpstreamEndpoint({
    target: resolved,
    pools: options.pools,
    baseHeaders,
    apiKey: options.apiKey,
    errorFromResponse: anthropicErrorFromResponse,
  });
  const adapter = new AnthropicAdapter(resolved, endpoint);
  return pooledChatProvider(resolved.id, adapter, () => endpoint.close());
}

class AnthropicAdapter {
  readonly #options: ResolvedAnthropicOptions;
  readonly #endpoint: UpstreamEndpoint;

  constructor(options: ResolvedAnthropicOptions, endpoint: UpstreamEndpoint) {
    this.#options = options;
    this.#endpoint = endpoint;
  }

  async chat(request: ChatRequest, ctx: ChatContext): Promise<ChatResult> {
    const plan = buildAnthropicRequestBody(request, {
      stream: false,
      defaultMaxTokens: this.#options.defaultMaxTokens,
    });
    const call = new UpstreamCall(ctx.signal, this.#options.requestTimeoutMs);
    try {
      const response = await this.#send(plan.body, "application/json", ctx, call);
      const requestId = anthropicRequestId(response.headers);
      const text = await this.#endpoint.readSuccessBody(response, requestId);
      const message = this.#parseMessage(text, requestId);
      const completion = convertAnthropicMessageToCompletion(message, nowSeconds());
      const settled = settleCompletionUsage(completion.choices, mapAnthropicUsage(message.usage), request);
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
      await this.#endpoint.assertEventStream(response, requestId);
      return new AnthropicChatStream({
        providerId: this.#options.id,
        body: response.body,
        call,
        upstreamRequestId: requestId,
        estimateInputTokens: () => countChatPromptTokens(request.messages, request.tools),
        redact: this.#endpoint.redact,
        sseLimits: { maxLineBytes: this.#options.maxStreamLineBytes },
        createdSeconds: nowSeconds(),
        warnings: plan.warnings,
      });
    } catch (error) {
      call.dispose();
      throw transportError(this.#options.id, error, call);
    }
  }

  #send(body: object, accept: string, ctx: ChatContext, call: UpstreamCall) {
    const path = this.#options.messagesPath;
    return this.#endpoint.send({ path, body, accept, clientRequestId: ctx.requestId, call });
  }

  #parseMessage(text: string, requestId: string | undefined): AnthropicResponseMessage {
    const body = this.#endpoint.parseJson(text, requestId);
    if (!isAnthropicResponseMessage(body)) {
      throw this.#endpoint.invalid("a body that is not a message", requestId, text);
    }
    return body;
  }
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
