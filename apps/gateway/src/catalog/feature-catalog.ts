import {
  AppError,
  compileRedactionPolicy,
  featurePricingSchema,
  pricingFromManifest,
  type CustomPattern,
  type Limits,
  type RatingPricing,
  type RedactionPolicy,
} from "@modelfaucet/core";
import type { Queryable } from "@modelfaucet/db";
import { listActiveFeatures, type ActiveFeature } from "@modelfaucet/store";
import { storedCachePolicy, type ResponseCachePolicy } from "../cache/cache-policy.js";
import { ttlCache } from "./ttl-cache.js";

/** A feature's stored manifest parts, as the Gateway needs them per request. */
export interface Feature {
  appId: string;
  featureKey: string;
  policy: {
    route_preference: string[];
    fallback_to_platform?: boolean;
    default_model?: string;
    /**
     * What `auto:` means (MODEL_POLICIES); absent: `cheapest_sufficient`, the
     * manifest default. Any other word (stored before the schema knew only
     * these two) means `default_model`: the model the developer named.
     */
    model_policy?: string | undefined;
    /** The catalog ids cheapest_sufficient may choose from (policy.models); absent: the whole catalog. */
    models?: string[] | undefined;
    max_output_tokens?: number;
    /** Budgets and per-end-user rates (featureLimitsSchema), as validated when the manifest was written. */
    limits?: Limits | undefined;
  };
  /** The manifest's pricing in rating's integer form (pricingFromManifest), converted once per load. */
  pricing: RatingPricing;
  /**
   * What is redacted from prompts before they leave for a cloud provider
   * (`policy.privacy: redact_pii_before_cloud`, with `policy.pii_patterns`);
   * undefined when the feature sends them as written (`standard`).
   */
  redaction: RedactionPolicy | undefined;
  /** The response cache (`policy.cache`, priced by `pricing.cache_price_usd`); undefined: no cache. */
  cache: ResponseCachePolicy | undefined;
}

/** A feature as loaded: its pricing and redaction, or why what is stored cannot be read. */
type LoadedFeature = Omit<Feature, "pricing" | "redaction" | "cache"> & {
  pricing: RatingPricing | Error;
  redaction: RedactionPolicy | undefined | Error;
  cache: ResponseCachePolicy | undefined | Error;
};

/**
 * A stored manifest's pricing, read with the schema the API validated it
 * with on write (fees left out mean none). A stored pricing that does not
 * pass is a bug, not the caller's fault: requests under that feature (only
 * that one) fail rather than be charged a guessed price.
 */
function storedPricing(feature: ActiveFeature): RatingPricing | Error {
  const parsed = featurePricingSchema.safeParse(feature.pricing);
  if (!parsed.success) {
    return new Error(
      `stored pricing of feature ${feature.appId}/${feature.featureKey} is invalid: ${parsed.error.message}`,
    );
  }
  return pricingFromManifest(parsed.data);
}

/**
 * A stored policy's redaction. Only `standard` turns it off: a manifest
 * stored without `privacy` has the manifest's default, and a word the schema
 * no longer accepts redacts rather than leak. Patterns that do not compile
 * (the API compiled them on write, so: a bug) fail that feature's requests
 * rather than send its prompts unredacted.
 */
function storedRedaction(feature: ActiveFeature): RedactionPolicy | undefined | Error {
  const { privacy, pii_patterns: patterns } = feature.policy as { privacy?: unknown; pii_patterns?: unknown };
  if (privacy === "standard") return undefined;
  try {
    if (patterns !== undefined && !Array.isArray(patterns)) throw new Error("pii_patterns is not an array");
    return compileRedactionPolicy((patterns ?? []) as CustomPattern[]);
  } catch (error) {
    return new Error(
      `stored pii_patterns of feature ${feature.appId}/${feature.featureKey} are invalid: ${(error as Error).message}`,
    );
  }
}

function usable(feature: LoadedFeature): Feature {
  const { pricing, redaction, cache } = feature;
  if (pricing instanceof Error) throw pricing;
  if (redaction instanceof Error) throw redaction;
  if (cache instanceof Error) throw cache;
  return { ...feature, pricing, redaction, cache };
}

/**
 * Active features per app, re-read at most every `ttlMs` (an edited manifest
 * reaches the Gateway within that time).
 */
export function createFeatureCatalog(db: Queryable, ttlMs = 5000) {
  const load = ttlCache(ttlMs, 10_000, async (appId: string) =>
    (await listActiveFeatures(db, appId)).map((feature): LoadedFeature => ({
      ...feature,
      pricing: storedPricing(feature),
      redaction: storedRedaction(feature),
      cache: storedCachePolicy(feature),
    })),
  );

  return {
    /**
     * The feature a request runs under: the one it names, else the session's,
     * else the app's only feature. Ambiguity is an error, never a guess.
     */
    async resolve(appId: string, requested: string | undefined, sessionFeature: string | null): Promise<Feature> {
      const features = await load(appId);
      const key = requested ?? sessionFeature ?? undefined;
      if (key === undefined) {
        if (features.length === 1) return usable(features[0]!);
        throw new AppError("invalid_request", 'Name the feature: metadata.feature_key or model "auto:<feature_key>".');
      }
      const feature = features.find((candidate) => candidate.featureKey === key);
      if (!feature) throw new AppError("feature_not_found", `No active feature "${key}" in this app.`);
      return usable(feature);
    },
  };
}

export type FeatureCatalog = ReturnType<typeof createFeatureCatalog>;
