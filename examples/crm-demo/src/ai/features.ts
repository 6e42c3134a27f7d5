/**
 * The CRM's AI features, as registered with ModelFaucet (scripts/crm-features.ts
 * holds their manifests). Each request names its feature, which decides its
 * routes and what it costs.
 */
export const FEATURES = {
  customerReply: "customer_reply",
  summarizeThread: "summarize_thread",
  extractFields: "extract_fields",
  semanticSearch: "semantic_search",
} as const;

export type FeatureKey = (typeof FEATURES)[keyof typeof FEATURES];
