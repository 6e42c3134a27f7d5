import fc from "fast-check";
import { describe, expect, it } from "vitest";

import type { ModelPrice } from "../catalog/model-price.js";
import { rateUsage, type RatedCharge } from "./rate-usage.js";
import { modelPrice, ratingPricing, routeMode, tokenRoute, tokenUsage } from "../testing/index.js";
import type { RatingPricing } from "./rating-pricing.js";
import type { TokenUsage } from "./token-usage.js";

const GPT_LIKE: ModelPrice = {
  inputUnitsPerMTok: 250_000_000n, // $2.50 / 1M
  cachedInputUnitsPerMTok: 125_000_000n, // $1.25 / 1M
  outputUnitsPerMTok: 1_000_000_000n, // $10.00 / 1M
};

const PRICING: RatingPricing = {
  markupBps: 3000,
  channelShareBps: 4000,
  byokGatewayFeeUnits: 10_000n,
  localFeeUnits: 2_000n,
};

/** The exact cost × 1e6 (prices are per 1M tokens), recomputed independently. */
function exactCostTimesMillion(usage: TokenUsage, price: ModelPrice): bigint {
  return (
    BigInt(usage.inputTokens - usage.cachedInputTokens) * price.inputUnitsPerMTok +
    BigInt(usage.cachedInputTokens) * price.cachedInputUnitsPerMTok +
    BigInt(usage.outputTokens) * price.outputUnitsPerMTok
  );
}

function expectWellFormed(charge: RatedCharge): void {
  expect(charge.cost + charge.developer + charge.platform).toBe(charge.retail);
  expect(charge.cost).toBeGreaterThanOrEqual(0n);
  expect(charge.developer).toBeGreaterThanOrEqual(0n);
  expect(charge.platform).toBeGreaterThanOrEqual(0n);
  expect(charge.retail).toBeGreaterThanOrEqual(charge.cost);
}

describe("rateUsage examples", () => {
  it("rates a platform request with markup and split", () => {
    // 1000 input (200 cached), 500 output:
    // (800 × 250e6 + 200 × 125e6 + 500 × 1000e6) / 1e6 = 725,000 units ($0.00725).
    const charge = rateUsage({
      usage: { inputTokens: 1000, cachedInputTokens: 200, outputTokens: 500 },
      price: GPT_LIKE,
      pricing: PRICING,
      routeMode: "platform",
    });
    // retail = 725,000 × 1.3 = 942,500; margin 217,500; developer 40 % = 87,000.
    expect(charge).toEqual({ cost: 725_000n, retail: 942_500n, developer: 87_000n, platform: 130_500n });
  });

  it("rounds cost and retail up from the exact value, and the split down for the developer", () => {
    // $0.00000333 per 1M tokens: one token costs 0.000333 units.
    const price: ModelPrice = { inputUnitsPerMTok: 333n, cachedInputUnitsPerMTok: 0n, outputUnitsPerMTok: 333n };
    const charge = rateUsage({
      usage: { inputTokens: 1, cachedInputTokens: 0, outputTokens: 1 },
      price,
      pricing: { ...PRICING, markupBps: 5000, channelShareBps: 3333 },
      routeMode: "developer_key",
    });
    // exact cost 0.000666 ⇒ cost 1; exact retail 0.000999 ⇒ retail 1; margin 0.
    expect(charge).toEqual({ cost: 1n, retail: 1n, developer: 0n, platform: 0n });
  });

  it("applies markup to the exact cost, not to the rounded one", () => {
    // 11 tokens at 100,000 units / 1M: exact cost 1.1 units ⇒ cost 2.
    // 10 % markup ⇒ retail ⌈1.21⌉ = 2, where marking up the rounded cost would give ⌈2.2⌉ = 3.
    const charge = rateUsage({
      usage: { inputTokens: 11, cachedInputTokens: 0, outputTokens: 0 },
      price: { inputUnitsPerMTok: 100_000n, cachedInputUnitsPerMTok: 0n, outputUnitsPerMTok: 0n },
      pricing: { ...PRICING, markupBps: 1000, channelShareBps: 10_000 },
      routeMode: "platform",
    });
    expect(charge).toEqual({ cost: 2n, retail: 2n, developer: 0n, platform: 0n });
  });

  it("charges BYOK only the visible gateway fee, whatever the tokens", () => {
    const charge = rateUsage({
      usage: { inputTokens: 1_000_000, cachedInputTokens: 0, outputTokens: 1_000_000 },
      price: GPT_LIKE,
      pricing: PRICING,
      routeMode: "byok",
    });
    expect(charge).toEqual({ cost: 0n, retail: 10_000n, developer: 4_000n, platform: 6_000n });
  });

  it("charges local only the local fee", () => {
    const charge = rateUsage({
      usage: { inputTokens: 10, cachedInputTokens: 5, outputTokens: 10 },
      price: GPT_LIKE,
      pricing: { ...PRICING, channelShareBps: 3333 },
      routeMode: "local",
    });
    // 2000 × 0.3333 = 666.6 ⇒ developer 666, platform keeps the fraction.
    expect(charge).toEqual({ cost: 0n, retail: 2_000n, developer: 666n, platform: 1_334n });
  });

  it("charges nothing for nothing", () => {
    const usage = { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 };
    const zeroFees = { ...PRICING, byokGatewayFeeUnits: 0n, localFeeUnits: 0n };
    for (const mode of ["platform", "developer_key", "byok", "local"] as const) {
      expect(rateUsage({ usage, price: GPT_LIKE, pricing: zeroFees, routeMode: mode }).retail).toBe(0n);
    }
  });

  it.each([
    [{ inputTokens: -1, cachedInputTokens: 0, outputTokens: 0 }, /inputTokens/],
    [{ inputTokens: 1.5, cachedInputTokens: 0, outputTokens: 0 }, /inputTokens/],
    [{ inputTokens: 1, cachedInputTokens: 2, outputTokens: 0 }, /cachedInputTokens \(2\) must not exceed/],
    [{ inputTokens: 0, cachedInputTokens: 0, outputTokens: Number.NaN }, /outputTokens/],
  ])("refuses impossible usage %j as an invariant violation", (usage, message) => {
    expect(() => rateUsage({ usage, price: GPT_LIKE, pricing: PRICING, routeMode: "platform" })).toThrow(message);
    expect(() => rateUsage({ usage, price: GPT_LIKE, pricing: PRICING, routeMode: "platform" })).toThrow(RangeError);
  });

  it.each([
    [{ markupBps: -1 }, /markupBps/],
    [{ markupBps: 0.5 }, /markupBps/],
    [{ channelShareBps: 10_001 }, /channelShareBps/],
    [{ byokGatewayFeeUnits: -1n }, /byokGatewayFeeUnits/],
    [{ localFeeUnits: -1n }, /localFeeUnits/],
  ])("refuses out-of-range pricing %#", (override, message) => {
    const usage = { inputTokens: 1, cachedInputTokens: 0, outputTokens: 1 };
    expect(() =>
      rateUsage({ usage, price: GPT_LIKE, pricing: { ...PRICING, ...override }, routeMode: "byok" }),
    ).toThrow(message);
  });

  it("refuses a negative price and an unknown route mode", () => {
    const usage = { inputTokens: 1, cachedInputTokens: 0, outputTokens: 1 };
    const price = { ...GPT_LIKE, outputUnitsPerMTok: -1n };
    expect(() => rateUsage({ usage, price, pricing: PRICING, routeMode: "platform" })).toThrow(RangeError);
    expect(() => rateUsage({ usage, price: GPT_LIKE, pricing: PRICING, routeMode: "free" as never })).toThrow(
      /unknown route mode free/,
    );
  });
});

describe("rateUsage properties", () => {
  it("parts add up exactly, nothing is negative, retail ≥ cost", () => {
    fc.assert(
      fc.property(tokenUsage, modelPrice, ratingPricing, routeMode, (usage, price, pricing, mode) => {
        expectWellFormed(rateUsage({ usage, price, pricing, routeMode: mode }));
      }),
      { numRuns: 1000 },
    );
  });

  it("rounds each amount up by less than one unit from the exact value", () => {
    fc.assert(
      fc.property(tokenUsage, modelPrice, ratingPricing, tokenRoute, (usage, price, pricing, mode) => {
        const { cost, retail } = rateUsage({ usage, price, pricing, routeMode: mode });
        const exactCost = exactCostTimesMillion(usage, price); // cost × 1e6
        const exactRetail = exactCost * BigInt(10_000 + pricing.markupBps); // retail × 1e10
        // 0 ≤ cost − exact < 1 and 0 ≤ retail − exact retail < 1, in scaled integers.
        expect(cost * 1_000_000n - exactCost).toBeGreaterThanOrEqual(0n);
        expect(cost * 1_000_000n - exactCost).toBeLessThan(1_000_000n);
        expect(retail * 10_000_000_000n - exactRetail).toBeGreaterThanOrEqual(0n);
        expect(retail * 10_000_000_000n - exactRetail).toBeLessThan(10_000_000_000n);
      }),
      { numRuns: 1000 },
    );
  });

  it("gives the developer exactly ⌊margin × share⌋ and the platform the rest", () => {
    fc.assert(
      fc.property(tokenUsage, modelPrice, ratingPricing, routeMode, (usage, price, pricing, mode) => {
        const { cost, retail, developer } = rateUsage({ usage, price, pricing, routeMode: mode });
        const scaled = (retail - cost) * BigInt(pricing.channelShareBps);
        expect(developer * 10_000n).toBeLessThanOrEqual(scaled);
        expect((developer + 1n) * 10_000n).toBeGreaterThan(scaled);
      }),
    );
  });

  it("never charges less for more tokens", () => {
    const more = fc.record({ input: fc.nat(1_000_000), output: fc.nat(1_000_000) });
    fc.assert(
      fc.property(tokenUsage, more, modelPrice, ratingPricing, routeMode, (usage, extra, price, pricing, mode) => {
        const bigger = {
          ...usage,
          inputTokens: usage.inputTokens + extra.input,
          outputTokens: usage.outputTokens + extra.output,
        };
        const before = rateUsage({ usage, price, pricing, routeMode: mode });
        const after = rateUsage({ usage: bigger, price, pricing, routeMode: mode });
        expect(after.retail).toBeGreaterThanOrEqual(before.retail);
        expect(after.cost).toBeGreaterThanOrEqual(before.cost);
      }),
    );
  });

  it("never charges BYOK or local more than the fee, and never any upstream cost", () => {
    fc.assert(
      fc.property(tokenUsage, modelPrice, ratingPricing, (usage, price, pricing) => {
        const byok = rateUsage({ usage, price, pricing, routeMode: "byok" });
        const local = rateUsage({ usage, price, pricing, routeMode: "local" });
        expect(byok.cost).toBe(0n);
        expect(byok.retail).toBe(pricing.byokGatewayFeeUnits);
        expect(local.cost).toBe(0n);
        expect(local.retail).toBe(pricing.localFeeUnits);
      }),
    );
  });

  it("charges platform and developer-key routes the same", () => {
    fc.assert(
      fc.property(tokenUsage, modelPrice, ratingPricing, (usage, price, pricing) => {
        expect(rateUsage({ usage, price, pricing, routeMode: "developer_key" })).toEqual(
          rateUsage({ usage, price, pricing, routeMode: "platform" }),
        );
      }),
    );
  });
});
