import type { Dispatcher } from "undici";
import { ProviderError } from "../errors/provider-error.js";
import type { HeaderMap } from "../http/header-map.js";
import { BodyTooLargeError, readBodyText } from "../http/read-body.js";
import { createRedactor } from "../http/redact-secret.js";
import { transportError } from "../http/transport-error.js";
import { UpstreamCall } from "../http/upstream-call.js";
import { UpstreamPools } from "../http/upstream-pools.js";
import type { ChatContext, ChatProvider, ChatResult } from "../spec/chat-provider.js";
import type { ChatCompletion, ChatRequest } from "../spec/chat-wire.js";
import { countChatPromptTokens, countTextTokens } from "../tokens/count-tokens.js";
import { collectChoicesText } from "../usage/generated-text.js";
import { settleUsage } from "../usage/settle-usage.js";
import { convertGeminiResponse, openAIUsage } from "./convert-gemini-response.js";
import { convertToGeminiRequest, type GeminiRequest } from "./convert-to-gemini-request.js";
import { GeminiChatStream } from "./gemini-chat-stream.js";
import { geminiErrorFromResponse } from "./gemini-error.js";
import { geminiModelPath } from "./gemini-model-path.js";
import { resolveGeminiOptions, type GeminiProviderOptions, type ResolvedGeminiOptions } from "./gemini-options.js";
import type { GeminiWarning } from "./gemini-warning.js";
import { isRecord } from "./is-record.js";
import { mapGeminiUsage } from "./map-gemini-usage.js";
import { completionId } from "./read-gemini-parts.js";

/** Most bytes of an error body read (for logs); the rest is discarded. */
const MAX_ERROR_BODY_BYTES = 16 * 1024;

/** A ChatResult plus the settings Gemini could not honour. */
export interface GeminiChatResult extends ChatResult {
  readonly warnings: readonly GeminiWarning[];
}

/** A ChatProvider for Gemini, plus the lifecycle of its pools; results carry `warnings`. */
export interface GeminiProvider extends ChatProvider {
  chat(request: ChatRequest, ctx: ChatContext): Promise<GeminiChatResult>;
  chatStream(request: ChatRequest, ctx: ChatContext): Promise<GeminiChatStream>;
  /** Closes the provider's private pools (shared pools are left to their owner). */
  close(): Promise<void>;
}

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
  const ownsPools = options.pools === undefined;
  const pools = options.pools ?? new UpstreamPools();
  // Built once; the key lives only here and in the request headers.
  const baseHeaders = { "content-type": "application/json", "x-goog-api-key": options.apiKey };
  const adapter = new GeminiAdapter(resolved, pools, baseHeaders, createRedactor(options.apiKey), options.onWarnings);
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

class GeminiAdapter {
  readonly #options: ResolvedGeminiOptions;
  readonly #pools: UpstreamPools;
  readonly #baseHeaders: Readonly<Record<string, string>>;
  readonly #redact: (text: string) => string;
  readonly #onWarnings: GeminiProviderOptions["onWarnings"];

  constructor(
    options: ResolvedGeminiOptions,
    pools: UpstreamPools,
    baseHeaders: Readonly<Record<string, string>>,
    redact: (text: string) => string,
    onWarnings: GeminiProviderOptions["onWarnings"],
  ) {
    this.#options = options;
    this.#pools = pools;
    this.#baseHeaders = baseHeaders;
    this.#redact = redact;
    this.#onWarnings = onWarnings;
  }

  async chat(request: ChatRequest, ctx: ChatContext): Promise<GeminiChatResult> {
    // Translation errors are the caller's (AppError), raised before a call exists to classify them.
    const path = geminiModelPath(this.#options.basePath, request.model, false);
    const translated = this.#translate(request, ctx);
    const call = new UpstreamCall(ctx.signal, this.#options.requestTimeoutMs);
    try {
      const response = await this.#send(path, translated, "application/json", call);
      const parsed = this.#parseResponse(await this.#readSuccessBody(response));
      const requestId = completionId(parsed);
      const completion = convertGeminiResponse(parsed, request.model);
      if (completion === undefined)
        throw this.#invalid("a response with neither candidates nor a block reason", requestId);
      return this.#withUsage(completion, parsed.usageMetadata, request, requestId, translated.warnings);
    } catch (error) {
      throw transportError(this.#options.id, error, call);
    } finally {
      call.dispose();
    }
  }

  async chatStream(request: ChatRequest, ctx: ChatContext): Promise<GeminiChatStream> {
    const path = geminiModelPath(this.#options.basePath, request.model, true);
    const translated = this.#translate(request, ctx);
    const call = new UpstreamCall(ctx.signal, this.#options.streamTimeoutMs);
    try {
      const response = await this.#send(path, translated, "text/event-stream", call);
      if (!isEventStream(response.headers)) {
        const text = await readBodyText(response.body, { limitBytes: MAX_ERROR_BODY_BYTES, truncate: true });
        throw this.#invalid("a non-event-stream answer to a streaming request", undefined, text);
      }
      return new GeminiChatStream({
        providerId: this.#options.id,
        model: request.model,
        body: response.body,
        call,
        estimateInputTokens: () => countChatPromptTokens(request.messages, request.tools),
        redact: this.#redact,
        sseLimits: { maxLineBytes: this.#options.maxStreamLineBytes },
        warnings: translated.warnings,
      });
    } catch (error) {
      call.dispose();
      throw transportError(this.#options.id, error, call);
    }
  }

  #translate(request: ChatRequest, ctx: ChatContext): GeminiRequest {
    const translated = convertToGeminiRequest(request);
    if (translated.warnings.length > 0) this.#onWarnings?.(translated.warnings, ctx.requestId);
    return translated;
  }

  /** Settles usage (Gemini's figure unless missing or implausible) and puts it on the body in OpenAI's shape. */
  #withUsage(
    completion: ChatCompletion,
    rawUsage: unknown,
    request: ChatRequest,
    requestId: string | undefined,
    warnings: readonly GeminiWarning[],
  ): GeminiChatResult {
    const pieces: string[] = [];
    collectChoicesText(completion.choices, "message", pieces);
    const settled = settleUsage({
      reported: mapGeminiUsage(rawUsage),
      producedText: pieces.length > 0,
      estimateInputTokens: () => countChatPromptTokens(request.messages, request.tools),
      estimateOutputTokens: () => countTextTokens(pieces.join("")),
    });
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

  /** Sends the request; resolves with a 2xx response, throws ProviderError on any other status. */
  async #send(
    path: string,
    translated: GeminiRequest,
    accept: string,
    call: UpstreamCall,
  ): Promise<Dispatcher.ResponseData<null>> {
    if (call.cause !== undefined) throw transportError(this.#options.id, new Error("aborted before sending"), call);
    const response = await this.#pools.get(this.#options.origin).request({
      path,
      method: "POST",
      headers: { ...this.#baseHeaders, accept },
      body: JSON.stringify(translated.body),
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
    return geminiErrorFromResponse(
      this.#options.id,
      { statusCode: response.statusCode, headers: response.headers as HeaderMap, bodyText },
      this.#redact,
    );
  }

  async #readSuccessBody(response: Dispatcher.ResponseData<null>): Promise<string> {
    try {
      return await readBodyText(response.body, { limitBytes: this.#options.maxResponseBytes, truncate: false });
    } catch (error) {
      if (error instanceof BodyTooLargeError) throw this.#invalid(`a body over ${error.limitBytes} bytes`, undefined);
      throw error;
    }
  }

  #parseResponse(text: string): Record<string, unknown> {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw this.#invalid("a body that is not JSON", undefined, text);
    }
    if (!isRecord(body) || (body.error !== undefined && body.error !== null)) {
      throw this.#invalid("a body that is not a GenerateContentResponse", undefined, text);
    }
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

function isEventStream(headers: HeaderMap): boolean {
  const value = headers["content-type"];
  const type = Array.isArray(value) ? value[0] : value;
  return type !== undefined && type.toLowerCase().includes("text/event-stream");
}
