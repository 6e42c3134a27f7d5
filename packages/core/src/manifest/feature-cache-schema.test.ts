import { describe, expect, it } from "vitest";

import { featurePolicySchema } from "./feature-policy-schema.js";
import { featurePricingSchema } from "./feature-pricing-schema.js";

const policy = (cache: unknown) => featurePolicySchema.safeParse({ default_model: "m", cache });
const messageOf = (result: { success: boolean; error?: { issues: { message: string }[] } }) =>
  result.error?.issues[0]?.message;

describe("policy.cache", () => {
  it("is off when absent, and shares nothing across users unless told", () => {
    expect(featurePolicySchema.parse({ default_model: "m" }).cache).toBeUndefined();
    expect(policy({ ttl_seconds: 60 }).data?.cache).toEqual({ ttl_seconds: 60, shared_across_users: false });
    expect(policy({ ttl_seconds: 86_400, shared_across_users: true }).data?.cache).toEqual({
      ttl_seconds: 86_400,
      shared_across_users: true,
    });
  });

  it.each([
    [{}, "policy.cache.ttl_seconds is required"],
    [{ ttl_seconds: 0 }, "policy.cache.ttl_seconds must be an integer from 1 to 86400"],
    [{ ttl_seconds: 86_401 }, "policy.cache.ttl_seconds must be an integer from 1 to 86400"],
    [{ ttl_seconds: 1.5 }, "policy.cache.ttl_seconds must be an integer from 1 to 86400"],
    [{ ttl_seconds: 60, shared_across_users: "yes" }, "policy.cache.shared_across_users must be true or false"],
    [{ ttl_seconds: 60, ttl: 5 }, "policy.cache has unknown field(s): ttl"],
    [true, "policy.cache must be an object"],
  ])("refuses %j", (cache, message) => {
    expect(messageOf(policy(cache))).toBe(message);
  });
});

describe("pricing.cache_price_usd", () => {
  const pricing = { markup_percent: 30, channel_share_bps: 4000 };
  it("is absent (zero) unless set, and normalised to 8 decimals", () => {
    expect(featurePricingSchema.parse(pricing).cache_price_usd).toBeUndefined();
    expect(featurePricingSchema.parse({ ...pricing, cache_price_usd: "0.001" }).cache_price_usd).toBe("0.00100000");
  });

  it("refuses a negative or malformed price", () => {
    expect(featurePricingSchema.safeParse({ ...pricing, cache_price_usd: "-1" }).success).toBe(false);
    expect(featurePricingSchema.safeParse({ ...pricing, cache_price_usd: 1 }).success).toBe(false);
  });
});
