import { describe, expect, it } from "vitest";

import { featurePricingSchema } from "./feature-pricing-schema.js";
import { pricingFromManifest } from "./pricing-from-manifest.js";

describe("pricingFromManifest", () => {
  it("converts the contract's example pricing", () => {
    const pricing = featurePricingSchema.parse({
      mode: "usage_markup",
      markup_percent: 30,
      channel_share_bps: 4000,
      byok_gateway_fee_usd: "0.00000000",
    });
    expect(pricingFromManifest(pricing)).toEqual({
      markupBps: 3000,
      channelShareBps: 4000,
      byokGatewayFeeUnits: 0n,
      localFeeUnits: 0n,
    });
  });

  it("converts fees and fractional markups exactly", () => {
    const pricing = featurePricingSchema.parse({
      markup_percent: 0.29,
      channel_share_bps: 10_000,
      byok_gateway_fee_usd: "0.0015",
      local_fee_usd: "0.00000001",
    });
    expect(pricingFromManifest(pricing)).toEqual({
      markupBps: 29,
      channelShareBps: 10_000,
      byokGatewayFeeUnits: 150_000n,
      localFeeUnits: 1n,
    });
  });

  it("refuses a hand-built pricing that skipped validation", () => {
    const pricing = {
      mode: "usage_markup" as const,
      markup_percent: 0.001,
      channel_share_bps: 0,
      byok_gateway_fee_usd: "0",
    };
    expect(() => pricingFromManifest(pricing)).toThrow(/^markup_percent /);
  });
});
