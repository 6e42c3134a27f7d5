import type { Feature, FeatureManifestInput } from "@modelfaucet/contract";

/** The routes a feature may prefer, in the manifest's words. */
export const ROUTES = ["local", "end_user_byok", "developer_key", "platform_pool"] as const;
export type Route = (typeof ROUTES)[number];

export const ROUTE_LABELS: Record<Route, string> = {
  local: "Local model (Local Bridge)",
  end_user_byok: "The user's own key (BYOK)",
  developer_key: "Your provider key",
  platform_pool: "Platform pool (billed)",
};

// The policies the manifest accepts (core's MODEL_POLICIES): what `auto:<feature>` means.
export { MODEL_POLICIES } from "@modelfaucet/core";
export const PRIVACY_POLICIES = ["redact_pii_before_cloud", "standard", "local_only"] as const;

/** The editor's state: the manifest's fields as the inputs hold them (text for numbers being typed). */
export interface FeatureForm {
  featureKey: string;
  displayName: string;
  /** Every route, in preference order; `enabled` says whether the feature uses it. */
  routes: Array<{ route: Route; enabled: boolean }>;
  fallbackToPlatform: boolean;
  modelPolicy: string;
  privacy: string;
  defaultModel: string;
  maxOutputTokens: string;
  markupPercent: string;
  channelSharePercent: string;
  byokFeeUsd: string;
  localFeeUsd: string;
}

export function emptyForm(defaultModel: string): FeatureForm {
  return {
    featureKey: "",
    displayName: "",
    routes: ROUTES.map((route) => ({ route, enabled: route === "platform_pool" })),
    fallbackToPlatform: false,
    modelPolicy: "cheapest_sufficient",
    privacy: "redact_pii_before_cloud",
    defaultModel,
    maxOutputTokens: "1024",
    markupPercent: "30",
    channelSharePercent: "40",
    byokFeeUsd: "0",
    localFeeUsd: "0",
  };
}

export function formOf(feature: Feature): FeatureForm {
  const preferred = feature.policy.route_preference as Route[];
  return {
    featureKey: feature.feature_key,
    displayName: feature.display_name,
    routes: [
      ...preferred.map((route) => ({ route, enabled: true })),
      ...ROUTES.filter((route) => !preferred.includes(route)).map((route) => ({ route, enabled: false })),
    ],
    fallbackToPlatform: feature.policy.fallback_to_platform,
    modelPolicy: feature.policy.model_policy,
    privacy: feature.policy.privacy,
    defaultModel: feature.policy.default_model,
    maxOutputTokens: String(feature.policy.max_output_tokens),
    markupPercent: String(feature.pricing.markup_percent),
    channelSharePercent: String(feature.pricing.channel_share_bps / 100),
    byokFeeUsd: feature.pricing.byok_gateway_fee_usd,
    localFeeUsd: feature.pricing.local_fee_usd ?? "0",
  };
}

/** Channel share in basis points from the percent typed (two decimals at most, as bps are whole). */
export const channelShareBps = (percent: string) => Math.round(Number(percent) * 100);

/** The manifest the API is sent; the server validates it whole and answers what is wrong. */
export function manifestOf(form: FeatureForm): FeatureManifestInput {
  return {
    feature_key: form.featureKey.trim(),
    display_name: form.displayName.trim(),
    policy: {
      route_preference: form.routes.filter((entry) => entry.enabled).map((entry) => entry.route),
      fallback_to_platform: form.fallbackToPlatform,
      model_policy: form.modelPolicy,
      privacy: form.privacy,
      default_model: form.defaultModel,
      max_output_tokens: Number(form.maxOutputTokens),
    },
    pricing: {
      mode: "usage_markup",
      markup_percent: Number(form.markupPercent),
      channel_share_bps: channelShareBps(form.channelSharePercent),
      byok_gateway_fee_usd: form.byokFeeUsd.trim() || "0",
      local_fee_usd: form.localFeeUsd.trim() || "0",
    },
  };
}
