import { describe, expect, it } from "vitest";

import { featureManifestSchema, type FeatureManifestInput } from "./feature-manifest-schema.js";
import { featurePolicySchema } from "./feature-policy-schema.js";
import { featurePricingSchema } from "./feature-pricing-schema.js";

/** The contract's example manifest, with a concrete model. */
const CONTRACT_EXAMPLE = {
  feature_key: "customer_reply",
  display_name: "Customer reply",
  policy: {
    route_preference: ["local", "end_user_byok", "developer_key", "platform_pool"],
    fallback_to_platform: false,
    model_policy: "cheapest_sufficient",
    privacy: "redact_pii_before_cloud",
    default_model: "gpt-4o-mini",
    max_output_tokens: 1024,
  },
  pricing: { mode: "usage_markup", markup_percent: 30, channel_share_bps: 4000, byok_gateway_fee_usd: "0.00000000" },
} satisfies FeatureManifestInput;

function messages(result: { error?: { issues: { message: string }[] } | undefined }): string[] {
  return result.error?.issues.map((issue) => issue.message) ?? [];
}

function withPolicy(policy: Record<string, unknown>): unknown {
  return { ...CONTRACT_EXAMPLE, policy: { ...CONTRACT_EXAMPLE.policy, ...policy } };
}

function withPricing(pricing: Record<string, unknown>): unknown {
  return { ...CONTRACT_EXAMPLE, pricing: { ...CONTRACT_EXAMPLE.pricing, ...pricing } };
}

describe("featureManifestSchema", () => {
  it("accepts the contract's example unchanged", () => {
    expect(featureManifestSchema.parse(CONTRACT_EXAMPLE)).toEqual(CONTRACT_EXAMPLE);
  });

  it("fills in the defaults the contract's example implies", () => {
    const parsed = featureManifestSchema.parse({
      feature_key: "summarise",
      display_name: "  Summarise  ",
      policy: { default_model: "gpt-4o-mini" },
      pricing: { markup_percent: 12.5, channel_share_bps: 0 },
    });
    expect(parsed).toEqual({
      feature_key: "summarise",
      display_name: "Summarise",
      policy: {
        route_preference: ["local", "end_user_byok", "developer_key", "platform_pool"],
        fallback_to_platform: false,
        model_policy: "cheapest_sufficient",
        privacy: "redact_pii_before_cloud",
        default_model: "gpt-4o-mini",
        max_output_tokens: 1024,
      },
      pricing: { mode: "usage_markup", markup_percent: 12.5, channel_share_bps: 0, byok_gateway_fee_usd: "0.00000000" },
    });
  });

  it("accepts a developer's PII patterns in the safe subset", () => {
    const pii_patterns = [
      { name: "ORDER_ID", pattern: "ORD-\\d{6}" },
      { name: "EMPLOYEE_ID", pattern: "[A-Z]{2}\\d{4,6}" },
    ];
    expect(featureManifestSchema.parse(withPolicy({ pii_patterns })).policy.pii_patterns).toEqual(pii_patterns);
  });

  it("takes a model policy and an allow-list of models", () => {
    const policy = featureManifestSchema.parse(
      withPolicy({ model_policy: "default_model", models: ["a", "b"] }),
    ).policy;
    expect(policy).toMatchObject({ model_policy: "default_model", models: ["a", "b"] });
    expect(featurePolicySchema.parse({ default_model: "m" }).model_policy).toBe("cheapest_sufficient");
  });

  it("does not share the default route list between parses", () => {
    const first = featurePolicySchema.parse({ default_model: "m" });
    first.route_preference.pop();
    expect(featurePolicySchema.parse({ default_model: "m" }).route_preference).toHaveLength(4);
  });

  it("normalises money strings to 8 decimals", () => {
    const parsed = featurePricingSchema.parse({
      markup_percent: 0,
      channel_share_bps: 10_000,
      byok_gateway_fee_usd: "0.001",
      local_fee_usd: "0",
    });
    expect(parsed.byok_gateway_fee_usd).toBe("0.00100000");
    expect(parsed.local_fee_usd).toBe("0.00000000");
  });

  it.each([
    [{ ...CONTRACT_EXAMPLE, feature_key: "Customer" }, /^feature_key must be 1-64 characters/],
    [{ ...CONTRACT_EXAMPLE, feature_key: "_x" }, /^feature_key /],
    [{ ...CONTRACT_EXAMPLE, feature_key: "a".repeat(65) }, /^feature_key /],
    [{ ...CONTRACT_EXAMPLE, feature_key: undefined }, /^feature_key is required$/],
    [{ ...CONTRACT_EXAMPLE, display_name: "   " }, /^display_name must not be blank$/],
    [{ ...CONTRACT_EXAMPLE, display_name: "x".repeat(201) }, /^display_name must be at most 200/],
    [{ ...CONTRACT_EXAMPLE, display_name: 5 }, /^display_name must be a string$/],
    [{ ...CONTRACT_EXAMPLE, policy: undefined }, /^policy must be an object$/],
    [{ ...CONTRACT_EXAMPLE, pricing: "free" }, /^pricing must be an object$/],
    [{ ...CONTRACT_EXAMPLE, extra: 1 }, /^feature manifest has unknown field\(s\): extra$/],
    [withPolicy({ route_preference: [] }), /^policy.route_preference must name at least one route$/],
    [withPolicy({ route_preference: ["local", "local"] }), /^policy.route_preference must not repeat a route$/],
    [withPolicy({ route_preference: ["cloud"] }), /^policy.route_preference entries must be one of local, /],
    [withPolicy({ route_preference: "local" }), /^policy.route_preference must be an array of routes$/],
    [withPolicy({ fallback_to_platform: "no" }), /^policy.fallback_to_platform must be true or false$/],
    [
      withPolicy({ model_policy: "quality_first" }),
      /^policy.model_policy must be one of cheapest_sufficient, default_model$/,
    ],
    [withPolicy({ models: [] }), /^policy.models must name at least one model/],
    [withPolicy({ models: ["a", "a"] }), /^policy.models must not repeat a model$/],
    [withPolicy({ models: "mock-small" }), /^policy.models must be an array of model ids$/],
    [withPolicy({ models: [""] }), /^policy.models entries must not be empty$/],
    [withPolicy({ privacy: 1 }), /^policy.privacy must be a string$/],
    [withPolicy({ privacy: "redact_all" }), /^policy.privacy must be one of redact_pii_before_cloud, standard$/],
    [withPolicy({ pii_patterns: "ORD-\\d{6}" }), /^policy.pii_patterns must be an array of \{name, pattern\}$/],
    [withPolicy({ pii_patterns: [{ name: "ORDER_ID" }] }), /^policy.pii_patterns\[\].pattern is required$/],
    [
      withPolicy({ pii_patterns: [{ name: "ORDER_ID", pattern: "ORD-\\d+" }] }),
      /^policy.pii_patterns: pattern 1 \(ORDER_ID\): `\+` \(unbounded\) is not supported/,
    ],
    [
      withPolicy({ pii_patterns: [{ name: "IP", pattern: "abc" }] }),
      /^policy.pii_patterns: pattern 1 \(IP\): the name is taken/,
    ],
    [withPolicy({ default_model: undefined }), /^policy.default_model is required$/],
    [withPolicy({ default_model: "" }), /^policy.default_model must not be empty$/],
    [withPolicy({ max_output_tokens: 0 }), /^policy.max_output_tokens must be from 1 to 1000000$/],
    [withPolicy({ max_output_tokens: 1_000_001 }), /^policy.max_output_tokens must be from 1 to 1000000$/],
    [withPolicy({ max_output_tokens: 1.5 }), /^policy.max_output_tokens must be an integer$/],
    [withPolicy({ max_output_tokens: "1024" }), /^policy.max_output_tokens must be an integer$/],
    [withPolicy({ max_tokens: 5 }), /^policy has unknown field\(s\): max_tokens$/],
    [withPricing({ mode: "flat" }), /^pricing.mode must be "usage_markup"$/],
    [withPricing({ markup_percent: -1 }), /^pricing.markup_percent must be from 0 to 100000 with at most 2 decimals$/],
    [withPricing({ markup_percent: 1.005 }), /^pricing.markup_percent must be from 0/],
    [withPricing({ markup_percent: "30" }), /^pricing.markup_percent must be a number$/],
    [withPricing({ markup_percent: undefined }), /^pricing.markup_percent is required$/],
    [withPricing({ channel_share_bps: 10_001 }), /^pricing.channel_share_bps must be from 0 to 10000$/],
    [withPricing({ channel_share_bps: -1 }), /^pricing.channel_share_bps must be from 0 to 10000$/],
    [withPricing({ channel_share_bps: 40.5 }), /^pricing.channel_share_bps must be an integer$/],
    [withPricing({ channel_share_bps: undefined }), /^pricing.channel_share_bps is required$/],
    [withPricing({ byok_gateway_fee_usd: "-0.01" }), /^pricing.byok_gateway_fee_usd must not be negative$/],
    [withPricing({ byok_gateway_fee_usd: 0 }), /^pricing.byok_gateway_fee_usd must be a decimal string/],
    [withPricing({ local_fee_usd: "1e-3" }), /^pricing.local_fee_usd must be a plain decimal string/],
    [withPricing({ markup_pct: 30 }), /^pricing has unknown field\(s\): markup_pct$/],
  ])("rejects case %# with a message naming the field", (input, message) => {
    const result = featureManifestSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(messages(result)).toHaveLength(1);
    expect(messages(result)[0]).toMatch(message);
  });

  it("reports the path of each issue too", () => {
    const result = featureManifestSchema.safeParse(withPricing({ channel_share_bps: 20_000 }));
    expect(result.error?.issues[0]?.path).toEqual(["pricing", "channel_share_bps"]);
  });
});
