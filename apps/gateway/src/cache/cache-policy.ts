import { featureCacheSchema, parseUsd } from "@modelfaucet/core";
import type { ActiveFeature } from "@modelfaucet/store";

/** A feature's response cache (`policy.cache` with `pricing.cache_price_usd`), as the Gateway applies it. */
export interface ResponseCachePolicy {
  /** How long an answer is served from the cache, seconds (1..86400). */
  ttlSeconds: number;
  /** Whether one end user's answer may serve another's identical request (never another app's). */
  sharedAcrossUsers: boolean;
  /** What a hit charges the end user, units of 1e-8 USD; ≥ 0. */
  priceUnits: bigint;
}

/**
 * A stored feature's cache policy: undefined when the manifest has no
 * `policy.cache` (no cache), an Error when what is stored does not pass the
 * schema the API validated it with (a bug: that feature's requests fail
 * rather than be cached or priced on a guess). An absent cache price is 0.
 */
export function storedCachePolicy(feature: ActiveFeature): ResponseCachePolicy | undefined | Error {
  const where = `${feature.appId}/${feature.featureKey}`;
  const stored = (feature.policy as { cache?: unknown }).cache;
  if (stored === undefined) return undefined;
  const parsed = featureCacheSchema.safeParse(stored);
  if (!parsed.success) return new Error(`stored policy.cache of feature ${where} is invalid: ${parsed.error.message}`);
  try {
    const price = (feature.pricing as { cache_price_usd?: unknown } | null)?.cache_price_usd;
    const priceUnits = price === undefined ? 0n : parseUsd(price, { field: "pricing.cache_price_usd" });
    return { ttlSeconds: parsed.data.ttl_seconds, sharedAcrossUsers: parsed.data.shared_across_users, priceUnits };
  } catch (error) {
    return new Error(`stored pricing.cache_price_usd of feature ${where} is invalid: ${(error as Error).message}`);
  }
}
