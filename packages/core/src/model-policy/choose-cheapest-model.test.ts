import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { estimateMaxCharge } from "../rating/estimate-max-charge.js";
import { modelPrice, ratingPricing, routeMode } from "../testing/index.js";
import {
  chooseCheapestModel,
  modelOutputLimit,
  type ModelOption,
  type ModelRequirements,
} from "./choose-cheapest-model.js";
import { hasCapabilities, MODEL_CAPABILITIES } from "./model-capabilities.js";

const capabilities = fc.subarray([...MODEL_CAPABILITIES]);

/** Small windows and limits, so prompts and outputs often do not fit. */
const option = (id: string): fc.Arbitrary<ModelOption> =>
  fc.record({
    id: fc.constant(id),
    price: fc.oneof(modelPrice, fc.constantFrom(...CHEAP_PRICES)),
    contextWindow: fc.integer({ min: 1, max: 4000 }),
    maxOutputTokens: fc.integer({ min: 1, max: 2000 }),
    capabilities,
    routeMode,
  });

/** A few shared prices, so ties between models are common. */
const CHEAP_PRICES = [
  { inputUnitsPerMTok: 10_000_000n, cachedInputUnitsPerMTok: 5_000_000n, outputUnitsPerMTok: 40_000_000n },
  { inputUnitsPerMTok: 15_000_000n, cachedInputUnitsPerMTok: 7_500_000n, outputUnitsPerMTok: 60_000_000n },
];

/** Up to 8 models with distinct ids (catalog ids are unique). */
const catalog = fc
  .uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,5}$/), { maxLength: 8 })
  .chain((ids) => fc.tuple(...ids.map(option)));

const requirements: fc.Arbitrary<ModelRequirements> = fc.record({
  promptTokens: fc.integer({ min: 0, max: 4000 }),
  windowTokens: fc.option(fc.integer({ min: 0, max: 4000 }), { nil: undefined }),
  requestedOutputTokens: fc.option(fc.integer({ min: 1, max: 2000 }), { nil: undefined }),
  featureMaxOutputTokens: fc.integer({ min: 1, max: 2000 }),
  capabilities,
});

const outputOf = (model: ModelOption, needs: ModelRequirements) =>
  needs.requestedOutputTokens ?? modelOutputLimit(model.maxOutputTokens, needs.featureMaxOutputTokens);

/** The definition of "fits", written independently of the chooser's filtering order. */
function fits(model: ModelOption, needs: ModelRequirements): boolean {
  const limit = modelOutputLimit(model.maxOutputTokens, needs.featureMaxOutputTokens);
  const output = needs.requestedOutputTokens ?? limit;
  return (
    hasCapabilities(model.capabilities, needs.capabilities) &&
    output <= limit &&
    (needs.windowTokens ?? needs.promptTokens) + output <= model.contextWindow
  );
}

const chargeOf = (
  model: ModelOption,
  needs: ModelRequirements,
  pricing: Parameters<typeof estimateMaxCharge>[0]["pricing"],
) =>
  estimateMaxCharge({
    promptTokens: needs.promptTokens,
    maxOutputTokens: outputOf(model, needs),
    price: model.price,
    pricing,
    routeMode: model.routeMode,
  });

describe("chooseCheapestModel", () => {
  it("chooses a model that fits, and none fitting is strictly cheaper", () => {
    fc.assert(
      fc.property(catalog, requirements, ratingPricing, (models, needs, pricing) => {
        const choice = chooseCheapestModel(models, needs, pricing);
        if (choice.outcome !== "chosen") return;
        expect(fits(choice.option, needs)).toBe(true);
        expect(choice.outputTokens).toBe(outputOf(choice.option, needs));
        expect(choice.maxCharge).toBe(chargeOf(choice.option, needs, pricing));
        for (const other of models.filter((model) => fits(model, needs))) {
          expect(chargeOf(other, needs, pricing) >= choice.maxCharge).toBe(true);
        }
        expect(choice.fitting).toBe(models.filter((model) => fits(model, needs)).length);
      }),
      { numRuns: 500 },
    );
  });

  it("chooses none exactly when no model fits", () => {
    fc.assert(
      fc.property(catalog, requirements, ratingPricing, (models, needs, pricing) => {
        const choice = chooseCheapestModel(models, needs, pricing);
        expect(choice.outcome === "chosen").toBe(models.some((model) => fits(model, needs)));
      }),
      { numRuns: 500 },
    );
  });

  it("does not depend on the catalog's order", () => {
    const shuffled = catalog.chain((models) =>
      fc.tuple(fc.constant(models), fc.shuffledSubarray(models, { minLength: models.length })),
    );
    fc.assert(
      fc.property(
        shuffled,
        requirements,
        ratingPricing,
        fc.option(fc.string()),
        ([models, permuted], needs, pricing, preferred) => {
          const preferredId = preferred ?? models[0]?.id;
          expect(chooseCheapestModel(permuted, needs, pricing, preferredId)).toEqual(
            chooseCheapestModel(models, needs, pricing, preferredId),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  const pricing = { markupBps: 3000, channelShareBps: 4000, byokGatewayFeeUnits: 100n, localFeeUnits: 0n };
  const base = {
    price: CHEAP_PRICES[0]!,
    contextWindow: 128_000,
    maxOutputTokens: 16_384,
    capabilities: [],
    routeMode: "platform" as const,
  };
  const needs = { promptTokens: 100, requestedOutputTokens: undefined, featureMaxOutputTokens: 1024, capabilities: [] };

  it("breaks ties by upstream cost, then the preferred model, then id", () => {
    const dear = { ...base, id: "a-dear", price: CHEAP_PRICES[1]!, routeMode: "byok" as const };
    const cheap = { ...base, id: "z-cheap", routeMode: "byok" as const };
    // On BYOK both charge the flat fee: the cheaper upstream wins.
    expect(chooseCheapestModel([dear, cheap], needs, pricing)).toMatchObject({
      option: { id: "z-cheap" },
      maxCharge: 100n,
    });
    const twins = [
      { ...base, id: "b" },
      { ...base, id: "a" },
      { ...base, id: "c" },
    ];
    expect(chooseCheapestModel(twins, needs, pricing)).toMatchObject({ option: { id: "a" }, fitting: 3 });
    expect(chooseCheapestModel(twins, needs, pricing, "c")).toMatchObject({ option: { id: "c" } });
  });

  it("says which requirement no model met", () => {
    expect(chooseCheapestModel([], needs, pricing)).toEqual({ outcome: "no_candidates" });
    const tools = { ...base, id: "t", capabilities: ["tools" as const] };
    const vision = { ...base, id: "v", capabilities: ["vision" as const] };
    expect(
      chooseCheapestModel([tools, vision], { ...needs, capabilities: ["tools", "vision", "json_schema"] }, pricing),
    ).toEqual({
      outcome: "missing_capabilities",
      needed: ["tools", "vision", "json_schema"],
      unavailable: ["json_schema"],
    });
    expect(chooseCheapestModel([tools], { ...needs, requestedOutputTokens: 2000 }, pricing)).toEqual({
      outcome: "output_limit_exceeded",
      largestOutputLimit: 1024,
    });
    expect(chooseCheapestModel([tools, vision], { ...needs, promptTokens: 127_000 }, pricing)).toEqual({
      outcome: "context_window_exceeded",
      largestWindow: 128_000,
    });
  });
});
