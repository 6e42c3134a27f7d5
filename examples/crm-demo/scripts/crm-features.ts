import { FEATURES, type FeatureKey } from "../src/ai/features.js";

/** The catalog models the demo stack serves (the mock provider's; any catalog id works). */
const CHAT_MODEL = "mock-small";
const EMBEDDING_MODEL = "mock-embed";

/**
 * Every feature may run on the user's machine first (Local Bridge), then on
 * the user's own key, then on wallet credits: the user picks one per request
 * in the CRM, or lets the Gateway take the first that can serve.
 */
const ROUTES = ["local", "end_user_byok", "platform_pool"];

/** Explicit, visible fees (no hidden markup): per BYOK request and per local request, USD. */
const BYOK_FEE_USD = "0.00010000";
const LOCAL_FEE_USD = "0.00020000";

function manifest(featureKey: FeatureKey, displayName: string, model: string, maxOutputTokens: number) {
  return {
    feature_key: featureKey,
    display_name: displayName,
    policy: {
      route_preference: ROUTES,
      fallback_to_platform: false,
      privacy: "standard",
      default_model: model,
      max_output_tokens: maxOutputTokens,
    },
    pricing: {
      mode: "usage_markup",
      markup_percent: 30,
      channel_share_bps: 4000,
      byok_gateway_fee_usd: BYOK_FEE_USD,
      local_fee_usd: LOCAL_FEE_USD,
    },
  };
}

/** The manifests `pnpm demo` (and the CRM's end-to-end test) register for the CRM app. */
export const CRM_FEATURE_MANIFESTS = [
  manifest(FEATURES.customerReply, "Customer reply draft", CHAT_MODEL, 400),
  manifest(FEATURES.summarizeThread, "Thread summary", CHAT_MODEL, 300),
  manifest(FEATURES.extractFields, "Field extraction", CHAT_MODEL, 300),
  manifest(FEATURES.semanticSearch, "Semantic search", EMBEDDING_MODEL, 1),
];
