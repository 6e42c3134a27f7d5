import { AppError, featurePricingSchema, pricingFromManifest, type RatingPricing } from "@modelfaucet/core";
import type { Queryable } from "@modelfaucet/db";
import { listActiveFeatures, type ActiveFeature } from "@modelfaucet/store";
import { ttlCache } from "./ttl-cache.js";

/** A feature's stored manifest parts, as the Gateway needs them per request. */
export interface Feature {
  appId: string;
  featureKey: string;
  policy: {
    route_preference: string[];
    fallback_to_platform?: boolean;
    default_model?: string;
    max_output_tokens?: number;
  };
  /** The manifest's pricing in rating's integer form (pricingFromManifest), converted once per load. */
  pricing: RatingPricing;
}

/** A feature as loaded: its pricing, or why its stored pricing cannot be read. */
type LoadedFeature = Omit<Feature, "pricing"> & { pricing: RatingPricing | Error };

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

function usable(feature: LoadedFeature): Feature {
  const { pricing } = feature;
  if (pricing instanceof Error) throw pricing;
  return { ...feature, pricing };
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
