import type { FeatureManifest } from "@modelfaucet/core";
import type { Queryable } from "@modelfaucet/db";

/** An active feature as requests are served under it: its policy and its stored pricing, unparsed. */
export interface ActiveFeature {
  appId: string;
  featureKey: string;
  /** As validated on write (featureManifestSchema). */
  policy: FeatureManifest["policy"];
  /** The manifest's pricing as stored: the reader parses it (a stored value that fails is a bug to report). */
  pricing: unknown;
}

interface ActiveFeatureRow {
  app_id: string;
  feature_key: string;
  policy: FeatureManifest["policy"];
  pricing: unknown;
}

/**
 * The app's active features, by key. The Gateway caches the answer per app
 * for a few seconds; minting a session reads it for the modes to announce.
 */
export async function listActiveFeatures(q: Queryable, appId: string): Promise<ActiveFeature[]> {
  const { rows } = await q.query<ActiveFeatureRow>(
    "SELECT app_id, feature_key, policy, pricing FROM app_features WHERE app_id = $1 AND status = 'active' ORDER BY feature_key",
    [appId],
  );
  return rows.map((row) => ({
    appId: row.app_id,
    featureKey: row.feature_key,
    policy: row.policy,
    pricing: row.pricing,
  }));
}
