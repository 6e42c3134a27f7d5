import { pooledChatProvider, type PooledChatProvider } from "../chat-adapter/pooled-chat-provider.js";
import { transportError } from "../http/transport-error.js";
import { UpstreamCall } from "../http/upstream-call.js";
import { UpstreamEndpoint } from "../http/upstream-endpoint.js";
import type { ChatContext, ChatResult } from "../spec/chat-provider.js";
import type { ChatCompletion, ChatRequest } from "../spec/chat-wire.js";
import type { ProviderWarning } from "../spec/provider-warning.js";
import { countChatPromptTokens } from "../tokens/count-tokens.js";
import { settleCompletionUsage } from "../usage/settle-completion-usage.js";
import { convertGeminiResponse, openAIUsage } from "./convert-gemini-response.js";
import { convertToGeminiRequest, type GeminiRequest } from "./convert-to-gemini-request.js";
import { GeminiChatStream } from "./gemini-chat-stream.js";
import { geminiErrorFromResponse } from "./gemini-error.js";
import { geminiModelPath } from "./gemini-model-path.js";
import { resolveGeminiOptions, type GeminiProviderOptions, type ResolvedGeminiOptions } from "./gemini-options.js";
import { isRecord } from "./is-record.js";
import { mapGeminiUsage } from "./map-gemini-usage.js";
import { completionId } from "./read-gemini-parts.js";

/** A ChatProvider for Gemini, plus the lifecycle of its pools. */
export type GeminiProvider = PooledChatProvider<ChatResult, GeminiChatStream>;

/**
 * An adapter for Google's Gemini API (AI Studio keys): OpenAI chat requests
 * are translated to `generateContent` / `streamGenerateContent?alt=sse`
 * bodies and the answers back to `chat.completion` / `chat.completion.chunk`.
 * What cannot be sent is refused before any I/O (AppError `invalid_request`);
 * settings that cannot be honoured become `warnings`. The API key travels
 * only in the `x-goog-api-key` header and is redacted from every error body.
 * https://ai.google.dev/api/generate-content
 */
export function createGeminiProvider(options: GeminiProviderOptions): GeminiProvider {
  const resolved = resolveGeminiOptions(options);
  const endpoint = new UpstreamEndpoint({
    target: resolved,
    pools: options.pools,
    // Built once; the key lives only here and in the request headers.
    baseHeaders: { "content-type": "application/json", "x-goog-api-key": options.apiKey },
    apiKey: options.apiKey,
    errorFromResponse: geminiErrorFromResponse,
  });
  const adapter = new GeminiAdapter(resolved, endpoint);
  return pooledChatProvider(resolved.id, adapter, () => endpoint.close());
}

class GeminiAdapter {
  readonly #options: ResolvedGeminiOptions;
  readonly #endpoint: UpstreamEndpoint;

  constructor(options: ResolvedGeminiOptions, endpoint: UpstreamEndpoint) {
    this.#options = options;
    this.#endpoint = endpoint;
  }

  async chat(request: ChatRequest, ctx: ChatContext): Promise<ChatResult> {
    // Translation errors are the caller's (AppError), raised before a call exists to classify them.
    const path = geminiModelPath(this.#options.basePath, request.model, false);
    const translated = convertToGeminiRequest(request);
    const call = new UpstreamCall(ctx.signal, this.#options.requestTimeoutMs);
    try {
      const response = await this.#send(path, translated, "application/json", call);
      const parsed = this.#parseResponse(await this.#endpoint.readSuccessBody(response, undefined));
      const requestId = completionId(parsed);
      const completion = convertGeminiResponse(parsed, request.model);
      if (completion === undefined)
        throw this.#endpoint.invalid("a response with neither candidates nor a block reason", requestId);
      return this.#withUsage(completion, parsed.usageMetadata, request, requestId, translated.warnings);
    } catch (error) {
      throw transportError(this.#options.id, error, call);
    } finally {
      call.dispose();
    }
  }

  async chatStream(request: ChatRequest, ctx: ChatContext): Promise<GeminiChatStream> {
    const path = geminiModelPath(this.#options.basePath, request.model, true);
    const translated = convertToGeminiRequest(request);
    const call = new UpstreamCall(ctx.signal, this.#options.streamTimeoutMs);
    try {
      const response = await this.#send(path, translated, "text/event-stream", call);
      await this.#endpoint.assertEventStream(response, undefined);
      return new GeminiChatStream({
        providerId: this.#options.id,
        model: request.model,
        body: response.body,
        call,
        estimateInputTokens: () => countChatPromptTokens(request.messages, request.tools),
        redact: this.#endpoint.redact,
        sseLimits: { maxLineBytes: this.#options.maxStreamLineBytes },
        warnings: translated.warnings,
      });
    } catch (error) {
      call.dispose();
      throw transportError(this.#options.id, error, call);
    }
  }

  /** Settles usage (Gemini's figure unless missing or implausible) and puts it on the body in OpenAI's shape. */
  #withUsage(
    completion: ChatCompletion,
    rawUsage: unknown,
    request: ChatRequest,
    requestId: string | undefined,
    warnings: readonly ProviderWarning[],
  ): ChatResult {
    const settled = settleCompletionUsage(completion.choices, mapGeminiUsage(rawUsage), request);
    const thoughts = isRecord(rawUsage) ? rawUsage.thoughtsTokenCount : undefined;
    const reasoning = settled.source === "upstream" && typeof thoughts === "number" ? thoughts : 0;
    return {
      body: { ...completion, usage: openAIUsage(settled.usage, reasoning) },
      usage: settled.usage,
      usageSource: settled.source,
      rawUsage,
      upstreamRequestId: requestId,
      warnings,
    };
  }

  /** Gemini has no client request id header: the gateway's id is not sent. */
  #send(path: string, translated: GeminiRequest, accept: string, call: UpstreamCall) {
    return this.#endpoint.send({ path, body: translated.body, accept, call });
  }

  #parseResponse(text: string): Record<string, unknown> {
    const body = this.#endpoint.parseJson(text, undefined);
    if (!isRecord(body) || (body.error !== undefined && body.error !== null)) {
      throw this.#endpoint.invalid("a body that is not a GenerateContentResponse", undefined, text);
    }
    return body;
  }
}
