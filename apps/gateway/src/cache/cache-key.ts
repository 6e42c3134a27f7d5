import { createHash } from "node:crypto";
import type { ChatRequest } from "@modelfaucet/contract";
import { canonicalJson } from "@modelfaucet/core";

/**
 * Request fields that never change the answer, left out of the key:
 * - `model` and `max_tokens` / `max_completion_tokens`: replaced by what they
 *   resolve to (the catalog model and the output limit sent upstream), so
 *   `auto:<feature>` and the model it names, or an explicit limit equal to
 *   the feature's, share entries — and a changed feature default does not;
 * - `stream`, `stream_options`: how the answer is delivered (a streamed
 *   answer replays as JSON and the other way round);
 * - `metadata` (our `feature_key` is in the key by itself), `user`,
 *   `safety_identifier`, `store`, `prompt_cache_key`, `service_tier`:
 *   labels, storage and scheduling hints for the provider, not generation
 *   parameters.
 * Everything else the client sent — messages, tools, tool_choice,
 * response_format, temperature, seed, stop, any field we do not know — is
 * in the key: an unknown field might change the answer, so it must match.
 */
const NOT_IN_KEY = new Set([
  "model",
  "max_tokens",
  "max_completion_tokens",
  "stream",
  "stream_options",
  "metadata",
  "user",
  "safety_identifier",
  "store",
  "prompt_cache_key",
  "service_tier",
]);

/** Whose cache an entry lives in, and what the request resolved to. */
export interface CacheKeyInput {
  appId: string;
  featureKey: string;
  /** The end user; null when the feature shares answers across its users. */
  endUserId: string | null;
  /** The catalog model the request runs on. */
  modelId: string;
  /** The output limit sent upstream (the request's, else the feature's). */
  maxOutputTokens: number;
  /** The request as the client sent it — before PII redaction. */
  request: ChatRequest;
}

/** The request's generation fields, normalized: NOT_IN_KEY left out, a top-level null the same as absent. */
export function normalizedRequest(input: Pick<CacheKeyInput, "modelId" | "maxOutputTokens" | "request">) {
  const fields: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(input.request)) {
    if (!NOT_IN_KEY.has(field) && value !== null && value !== undefined) fields[field] = value;
  }
  return { ...fields, model: input.modelId, max_output_tokens: input.maxOutputTokens };
}

/**
 * The cache key of a request: SHA-256 (hex) over the canonical JSON of the
 * app, feature, end user (null when shared) and the normalized request. The
 * app is always in it: an entry never serves another app.
 */
export function responseCacheKey(input: CacheKeyInput): string {
  const scope = { v: 1, app: input.appId, feature: input.featureKey, end_user: input.endUserId };
  return createHash("sha256")
    .update(canonicalJson({ ...scope, request: normalizedRequest(input) }))
    .digest("hex");
}
