import { describe, expect, it } from "vitest";

import { parseModelPrice, pricePerMillionToUnits } from "./model-price.js";

describe("pricePerMillionToUnits", () => {
  it("turns USD per 1M tokens into units per 1M tokens", () => {
    expect(pricePerMillionToUnits("2.50")).toBe(250_000_000n);
    expect(pricePerMillionToUnits("0.075")).toBe(7_500_000n);
    expect(pricePerMillionToUnits("0")).toBe(0n);
  });

  it("rejects negative and malformed prices, naming the field", () => {
    expect(() => pricePerMillionToUnits("-1")).toThrow("price_per_mtok_usd must not be negative");
    expect(() => pricePerMillionToUnits("2,50", "output_usd_per_mtok")).toThrow(/^output_usd_per_mtok /);
  });
});

describe("parseModelPrice", () => {
  it("parses the three rates", () => {
    expect(parseModelPrice({ inputUsdPerMTok: "2.50", cachedInputUsdPerMTok: "1.25", outputUsdPerMTok: "10" })).toEqual(
      { inputUnitsPerMTok: 250_000_000n, cachedInputUnitsPerMTok: 125_000_000n, outputUnitsPerMTok: 1_000_000_000n },
    );
  });

  it("names the rate that is wrong", () => {
    expect(() =>
      parseModelPrice({ inputUsdPerMTok: "2.50", cachedInputUsdPerMTok: "1e1", outputUsdPerMTok: "10" }),
    ).toThrow(/^cached_input_usd_per_mtok /);
  });
});
