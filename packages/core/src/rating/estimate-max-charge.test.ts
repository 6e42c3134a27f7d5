import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { estimateMaxCharge } from "./estimate-max-charge.js";
import { rateUsage } from "./rate-usage.js";
import { modelPrice, ratingPricing, routeMode, tokenCount } from "../testing/index.js";

describe("estimateMaxCharge", () => {
  it("is the retail of the whole prompt uncached plus the whole output budget", () => {
    const price = {
      inputUnitsPerMTok: 250_000_000n,
      cachedInputUnitsPerMTok: 125_000_000n,
      outputUnitsPerMTok: 1_000_000_000n,
    };
    const pricing = { markupBps: 3000, channelShareBps: 4000, byokGatewayFeeUnits: 7n, localFeeUnits: 3n };
    // (1000 × 250e6 + 1024 × 1000e6) / 1e6 = 1,274,000 units; × 1.3 = 1,656,200.
    expect(
      estimateMaxCharge({ promptTokens: 1000, maxOutputTokens: 1024, price, pricing, routeMode: "platform" }),
    ).toBe(1_656_200n);
    expect(estimateMaxCharge({ promptTokens: 1000, maxOutputTokens: 1024, price, pricing, routeMode: "byok" })).toBe(
      7n,
    );
    expect(estimateMaxCharge({ promptTokens: 1000, maxOutputTokens: 1024, price, pricing, routeMode: "local" })).toBe(
      3n,
    );
  });

  it("covers the retail of any usage within the token limits", () => {
    const withinLimits = fc.tuple(tokenCount, tokenCount).chain(([promptTokens, maxOutputTokens]) =>
      fc.record({
        promptTokens: fc.constant(promptTokens),
        maxOutputTokens: fc.constant(maxOutputTokens),
        inputTokens: fc.integer({ min: 0, max: promptTokens }),
        cachedShare: fc.double({ min: 0, max: 1, noNaN: true }),
        outputTokens: fc.integer({ min: 0, max: maxOutputTokens }),
      }),
    );
    fc.assert(
      fc.property(withinLimits, modelPrice, ratingPricing, routeMode, (limits, price, pricing, mode) => {
        const hold = estimateMaxCharge({ ...limits, price, pricing, routeMode: mode });
        const usage = {
          inputTokens: limits.inputTokens,
          cachedInputTokens: Math.floor(limits.inputTokens * limits.cachedShare),
          outputTokens: limits.outputTokens,
        };
        expect(rateUsage({ usage, price, pricing, routeMode: mode }).retail).toBeLessThanOrEqual(hold);
      }),
      { numRuns: 1000 },
    );
  });

  it("still covers fully cached prompts when the cached rate is the dearer one", () => {
    const price = { inputUnitsPerMTok: 100n, cachedInputUnitsPerMTok: 300n, outputUnitsPerMTok: 0n };
    const pricing = { markupBps: 0, channelShareBps: 0, byokGatewayFeeUnits: 0n, localFeeUnits: 0n };
    const hold = estimateMaxCharge({
      promptTokens: 1_000_000,
      maxOutputTokens: 0,
      price,
      pricing,
      routeMode: "platform",
    });
    const usage = { inputTokens: 1_000_000, cachedInputTokens: 1_000_000, outputTokens: 0 };
    expect(rateUsage({ usage, price, pricing, routeMode: "platform" }).retail).toBe(300n);
    expect(hold).toBe(300n);
  });
});
