import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { AppError } from "../errors/app-error.js";
import { MAX_MARKUP_BPS, MAX_MARKUP_PERCENT, markupPercentToBps, tryMarkupPercentToBps } from "./markup-bps.js";

describe("markupPercentToBps", () => {
  it.each([
    [0, 0],
    [30, 3000],
    ["30", 3000],
    [12.5, 1250],
    ["12.50", 1250],
    [0.07, 7],
    [0.29, 29],
    [1.15, 115],
    [0.01, 1],
    [MAX_MARKUP_PERCENT, MAX_MARKUP_BPS],
  ])("%j%% → %i bps", (percent, bps) => {
    expect(markupPercentToBps(percent)).toBe(bps);
  });

  it.each([
    [-1],
    [-0.01],
    ["-1"],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    [1.005],
    [0.001],
    ["1.123"],
    [1e-7],
    ["1e2"],
    ["+5"],
    [" 5"],
    ["05"],
    [""],
    ["5."],
    ["٣"],
    [MAX_MARKUP_PERCENT + 0.01],
    [1e21],
  ])("rejects %j", (percent) => {
    expect(tryMarkupPercentToBps(percent)).toBeUndefined();
    expect(() => markupPercentToBps(percent)).toThrow(AppError);
    expect(() => markupPercentToBps(percent)).toThrow(/^markup_percent /);
  });

  it("rejects what is not a number or a string", () => {
    expect(tryMarkupPercentToBps(null)).toBeUndefined();
    expect(tryMarkupPercentToBps(30n)).toBeUndefined();
  });

  it("is exact for every percent with at most 2 decimals", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_MARKUP_BPS }), (bps) => {
        // The float a client sends for `bps / 100` percent, e.g. 0.29 or 1234.56.
        expect(markupPercentToBps(bps / 100)).toBe(bps);
        expect(markupPercentToBps((bps / 100).toFixed(2))).toBe(bps);
      }),
      { numRuns: 2000 },
    );
  });
});
