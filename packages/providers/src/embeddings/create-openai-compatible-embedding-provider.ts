import { ProviderError } from "../errors/provider-error.js";
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
import { countEmbeddingInputTokens } from "./count-embedding-input-tokens.js";
import type { EmbeddingProvider, EmbeddingResponse } from "./embedding-provider.js";

/** An EmbeddingProvider for an OpenAI-compatible upstream, plus the lifecycle of its pools. */
export interface OpenAICompatibleEmbeddingProvider extends EmbeddingProvider {
  /** Closes the provider's private pools (shared pools are left to their owner). */
  close(): Promise<void>;
}

/**
 * `POST {baseUrl}/embeddings` on any OpenAI-compatible server. The body is
 * forwarded as is (the gateway has mapped the model id), so `encoding_format`
 * and `dimensions` reach the upstream unchanged and the answer comes back in
 * the format the client asked for.
 * https://platform.openai.com/docs/api-reference/embeddings/create
 */
export function createOpenAICompatibleEmbeddingProvider(
  options: OpenAICompatibleProviderOptions,
): OpenAICompatibleEmbeddingProvider {
  const resolved = resolveOpenAICompatibleOptions(options);
  const ownsPools = options.pools === undefined;
  const pools = options.pools ?? new UpstreamPools();
  const baseHeaders: Record<string, string> = { "content-type": "application/json", ...options.headers };
  if (options.apiKey !== undefined) baseHeaders.authorization = `Bearer ${options.apiKey}`;
  const endpoint: OpenAIEndpoint = { options: resolved, pools, baseHeaders, redact: createRedactor(options.apiKey) };
  return {
    specificationVersion: "v1",
    id: resolved.id,
    async embed(request, ctx) {
      const call = new UpstreamCall(ctx.signal, resolved.requestTimeoutMs);
      try {
        const response = await sendOpenAIRequest(
          endpoint,
          "/embeddings",
          request,
          "application/json",
          ctx.requestId,
          call,
        );
        const requestId = upstreamRequestId(response.headers);
        const body = await readOpenAIJsonObject(endpoint, response, requestId);
        if (!Array.isArray(body.data)) {
          throw new ProviderError(
            resolved.id,
            "invalid_response",
            `Upstream "${resolved.id}" sent a body without a data array.`,
            {
              retryable: false,
              upstreamRequestId: requestId,
            },
          );
        }
        const reported = promptTokensOf(body.usage);
        return {
          body: body as EmbeddingResponse,
          inputTokens: reported ?? countEmbeddingInputTokens(request.input),
          usageSource: reported === undefined ? "estimated" : "upstream",
          rawUsage: body.usage,
          upstreamRequestId: requestId,
        };
      } catch (error) {
        throw transportError(resolved.id, error, call);
      } finally {
        call.dispose();
      }
    },
    close: async () => {
      if (ownsPools) await pools.close();
    },
  };
}

function promptTokensOf(usage: unknown): number | undefined {
  if (typeof usage !== "object" || usage === null) return undefined;
  const value = (usage as { prompt_tokens?: unknown }).prompt_tokens;
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}
