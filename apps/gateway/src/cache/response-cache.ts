import type { ChatRequest } from "@modelfaucet/contract";
import type { RouteMode } from "@modelfaucet/core";
import type { ChatCompletionChunk } from "@modelfaucet/providers";
import {
  serviceCounter,
  type CacheStore,
  type Logger,
  type ServiceMetrics,
  type SessionContext,
} from "@modelfaucet/server-kit";
import type { Feature } from "../catalog/feature-catalog.js";
import type { ModelPlan } from "../chat/plan-route.js";
import type { RouteCandidate } from "../routing/route-candidates.js";
import type { UpstreamStream } from "../streaming/relay-stream.js";
import { assembleWhileRelaying, type AssemblingStream } from "./answer-from-chunks.js";
import { responseCacheKey } from "./cache-key.js";
import type { ResponseCachePolicy } from "./cache-policy.js";
import { answerFromCompletion, parseCachedAnswer, type CachedAnswer } from "./cached-answer.js";

/** A request the feature's cache applies to: its policy and key. */
export interface CacheLookup {
  policy: ResponseCachePolicy;
  key: string;
}

/**
 * The cache lookup of a chat request, or undefined when it is not cached:
 * the feature has no `policy.cache`, or the request asks for logprobs
 * (per-token data a replay does not keep). `sent` is the request as the
 * client sent it — before PII redaction, so the key is the client's.
 */
export function cacheLookupFor(
  feature: Feature,
  session: SessionContext,
  model: ModelPlan,
  sent: ChatRequest,
): CacheLookup | undefined {
  const policy = feature.cache;
  if (!policy || sent.logprobs === true || sent.top_logprobs != null) return undefined;
  const key = responseCacheKey({
    appId: session.appId,
    featureKey: feature.featureKey,
    endUserId: policy.sharedAcrossUsers ? null : session.endUserId,
    modelId: model.model.id,
    maxOutputTokens: model.maxOutputTokens,
    request: sent,
  });
  return { policy, key };
}

/** An answer found for a request: served by serveCachedAnswer. */
export interface CacheHit {
  lookup: CacheLookup;
  answer: CachedAnswer;
}

/**
 * The response cache of chat completions over a CacheStore (memory, or
 * Redis across instances). Only completed answers are stored (see
 * cached-answer.ts), as the client saw them; one is served only to a request
 * that may take the route that produced it (the feature's routes, narrowed
 * by x-modelfaucet-route), so a cached platform answer never stands in for
 * a user's own key, say. Store failures are misses, never errors. Every
 * method takes the request's lookup and does nothing without one (the
 * feature has no cache). Counted in
 * `modelfaucet_response_cache_total{result: hit|miss|stored|not_stored}`.
 */
export function createResponseCache(deps: { store: CacheStore; metrics: ServiceMetrics; logger: Logger }) {
  const counter = serviceCounter(deps.metrics, {
    name: "modelfaucet_response_cache_total",
    help: "Response cache lookups (hit, miss) and writes (stored, not_stored: too large or store unavailable)",
    labelNames: ["result"],
  });
  /** Streams being relayed for a cached feature, with their lookup: remembered once they end. */
  const recordings = new WeakMap<object, { lookup: CacheLookup; stream: AssemblingStream }>();

  async function remember(lookup: CacheLookup, answer: CachedAnswer | undefined): Promise<void> {
    if (!answer) return;
    const stored = await deps.store.set(lookup.key, JSON.stringify(answer), lookup.policy.ttlSeconds);
    counter.inc({ result: stored ? "stored" : "not_stored" });
    if (!stored) deps.logger.debug({ key: lookup.key }, "response cache: answer not stored");
  }

  return {
    /** The cached answer for the request that one of `candidates` may serve; undefined on a miss. */
    async find(lookup: CacheLookup | undefined, candidates: readonly RouteCandidate[]): Promise<CacheHit | undefined> {
      if (!lookup) return undefined;
      const text = await deps.store.get(lookup.key);
      const answer = text === undefined ? undefined : parseCachedAnswer(text);
      const usable = answer && candidates.some((candidate) => candidate.routeMode === answer.route_mode);
      counter.inc({ result: usable ? "hit" : "miss" });
      return usable ? { lookup, answer } : undefined;
    },

    /** Stores the completion the client received (PII restored), if it is a completed one. */
    async rememberCompletion(lookup: CacheLookup | undefined, body: object, routeMode: RouteMode): Promise<void> {
      if (lookup) await remember(lookup, answerFromCompletion(body as Record<string, unknown>, routeMode));
    },

    /** `upstream`, assembling what it relays when the request is cached (else `upstream` itself). */
    recording(
      lookup: CacheLookup | undefined,
      upstream: UpstreamStream<ChatCompletionChunk>,
    ): UpstreamStream<ChatCompletionChunk> {
      if (!lookup) return upstream;
      const stream = assembleWhileRelaying(upstream);
      recordings.set(stream, { lookup, stream });
      return stream;
    },

    /** Once a `recording` stream was relayed: stores its answer if it ran to its end with every choice finished. */
    async rememberRecorded(relayed: UpstreamStream<ChatCompletionChunk>, routeMode: RouteMode): Promise<void> {
      const recording = recordings.get(relayed);
      if (!recording?.stream.completed) return;
      await remember(recording.lookup, recording.stream.assembler.answer(routeMode));
    },
  };
}

export type ResponseCache = ReturnType<typeof createResponseCache>;
