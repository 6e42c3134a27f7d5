import { AppError, featurePricingSchema, pricingFromManifest } from "@modelfaucet/core";
import type { Queryable } from "@modelfaucet/db";
import { listActiveFeatures } from "@modelfaucet/store";

/** What a local call is priced at: the feature's flat local fee, split with the developer by its channel share. */
export interface LocalPricing {
  featureKey: string;
  feeUnits: bigint;
  channelShareBps: number;
}

/**
 * The feature a local ticket is for, as the Gateway picks one for a request:
 * the one named, else the session's, else the app's only active feature
 * (ambiguity is a 400, never a guess). A feature whose route_preference does
 * not include `local` is 409 `no_available_route`: the wallet is not held
 * for a call the developer does not allow.
 */
export async function localPricing(
  q: Queryable,
  appId: string,
  requested: string | undefined,
  sessionFeature: string | null,
): Promise<LocalPricing> {
  const features = await listActiveFeatures(q, appId);
  const key = requested ?? sessionFeature ?? (features.length === 1 ? features[0]!.featureKey : undefined);
  if (key === undefined) throw new AppError("invalid_request", "Name the feature: feature_key.");
  const feature = features.find((candidate) => candidate.featureKey === key);
  if (!feature) throw new AppError("feature_not_found", `No active feature "${key}" in this app.`);
  if (!feature.policy.route_preference.includes("local")) {
    throw new AppError("no_available_route", `Feature "${key}" does not allow the local route.`);
  }
  // Stored pricing was validated on write: one that no longer parses is a bug, never priced by a guess.
  const pricing = pricingFromManifest(featurePricingSchema.parse(feature.pricing));
  return { featureKey: key, feeUnits: pricing.localFeeUnits, channelShareBps: pricing.channelShareBps };
}
