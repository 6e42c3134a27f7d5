import { pooledChatProvider, type PooledChatProvider } from "../chat-adapter/pooled-chat-provider.js";
import { transportError } from "../http/transport-error.js";
import { UpstreamCall } from "../http/upstream-call.js";
import { UpstreamEndpoint } from "../http/upstream-endpoint.js";
import type { ChatContext, ChatResult, ChatStream } from "../spec/chat-provider.js";
import type { ChatCompletion, ChatRequest } from "../spec/chat-wire.js";
import { countChatPromptTokens } from "../tokens/count-tokens.js";
import { settleCompletionUsage } from "../usage/settle-completion-usage.js";
import { mapOpenAIUsage } from "./map-openai-usage.js";
import { OpenAIChatStream } from "./openai-chat-stream.js";
import {
  resolveOpenAICompatibleOptions,
  type OpenAICompatibleProviderOptions,
  type ResolvedOpenAICompatibleOptions,
} from "./openai-compatible-options.js";
import { openAIErrorFromResponse, upstreamRequestId } from "./openai-error-response.js";

/** A ChatProvider for an OpenAI-compatible upstream, plus the lifecycle of its pools. */
export type OpenAICompatibleProvider = PooledChatProvider;

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
  // Built once; the key lives only here and in the request headers.
  const baseHeaders: Record<string, string> = { "content-type": "application/json", ...options.headers };
  if (options.apiKey !== undefined) baseHeaders.authorization = `Bearer ${options.apiKey}`;
  const endpoint = new UpstreamEndpoint({
    target: resolved,
    pools: options.pools,
    baseHeaders,
    apiKey: options.apiKey,
    errorFromResponse: openAIErrorFromResponse,
  });
  const adapter = new OpenAICompatibleAdapter(resolved, endpoint);
  return pooledChatProvider(resolved.id, adapter, () => endpoint.close());
}

class OpenAICompatibleAdapter {
  readonly #options: ResolvedOpenAICompatibleOptions;
  readonly #endpoint: UpstreamEndpoint;
  readonly #path: string;

  constructor(options: ResolvedOpenAICompatibleOptions, endpoint: UpstreamEndpoint) {
    this.#options = options;
    this.#endpoint = endpoint;
    this.#path = `${options.basePath}/chat/completions`;
  }

  async chat(request: ChatRequest, ctx: ChatContext): Promise<ChatResult> {
    const call = new UpstreamCall(ctx.signal, this.#options.requestTimeoutMs);
    try {
      const { stream_options: _ignored, ...rest } = request;
      const response = await this.#send({ ...rest, stream: false }, "application/json", ctx, call);
      const requestId = upstreamRequestId(response.headers);
      const text = await this.#endpoint.readSuccessBody(response, requestId);
      const body = this.#parseCompletion(text, requestId);
      const settled = settleCompletionUsage(body.choices, mapOpenAIUsage(body.usage), request);
      return {
        body,
        usage: settled.usage,
        usageSource: settled.source,
        rawUsage: body.usage,
        upstreamRequestId: requestId,
        // The request passes through as sent: nothing is dropped.
        warnings: [],
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
      await this.#endpoint.assertEventStream(response, requestId);
      return new OpenAIChatStream({
        providerId: this.#options.id,
        body: response.body,
        call,
        upstreamRequestId: requestId,
        estimateInputTokens: () => countChatPromptTokens(request.messages, request.tools),
        redact: this.#endpoint.redact,
        sseLimits: { maxLineBytes: this.#options.maxStreamLineBytes },
      });
    } catch (error) {
      call.dispose();
      throw transportError(this.#options.id, error, call);
    }
  }

  #send(body: object, accept: string, ctx: ChatContext, call: UpstreamCall) {
    return this.#endpoint.send({ path: this.#path, body, accept, clientRequestId: ctx.requestId, call });
  }

  #parseCompletion(text: string, requestId: string | undefined): ChatCompletion {
    const body = this.#endpoint.parseJson(text, requestId);
    if (typeof body !== "object" || body === null || !Array.isArray((body as { choices?: unknown }).choices)) {
      throw this.#endpoint.invalid("a body without a choices array", requestId, text);
    }
    return body as ChatCompletion;
  }
}
