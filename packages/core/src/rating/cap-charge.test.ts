import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { capChargeAtHold } from "./cap-charge.js";
import { rateUsage, type RatedCharge } from "./rate-usage.js";
import { modelPrice, ratingPricing, routeMode, tokenUsage } from "../testing/index.js";

/** A charge as rateUsage rates it, and a hold anywhere from nothing to twice its retail. */
const ratedAndHeld = fc
  .tuple(tokenUsage, modelPrice, ratingPricing, routeMode)
  .map(([usage, price, pricing, mode]) => rateUsage({ usage, price, pricing, routeMode: mode }))
  .chain((charge) =>
    fc.record({
      charge: fc.constant(charge),
      held: fc.oneof(
        fc.bigInt({ min: 0n, max: charge.retail }),
        fc.bigInt({ min: 0n, max: 2n * charge.retail + 1n }),
        fc.constantFrom(charge.cost, charge.cost + charge.developer, charge.retail - 1n, charge.retail),
      ),
    }),
  )
  .filter(({ held }) => held >= 0n);

const min = (a: bigint, b: bigint) => (a < b ? a : b);

describe("capChargeAtHold", () => {
  it("charges at most what was held, keeps cost and developer share, and the parts still add up", () => {
    fc.assert(
      fc.property(ratedAndHeld, ({ charge, held }) => {
        const capped = capChargeAtHold(charge, held);
        expect(capped.retail).toBe(min(charge.retail, held));
        expect(capped.cost).toBe(charge.cost);
        expect(capped.developer).toBe(charge.developer);
        expect(capped.cost + capped.developer + capped.platform).toBe(capped.retail);
        expect(capped.retail >= 0n && capped.cost >= 0n && capped.developer >= 0n).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("leaves a charge the hold covers untouched, every part ≥ 0", () => {
    fc.assert(
      fc.property(ratedAndHeld, ({ charge, held }) => {
        fc.pre(held >= charge.retail);
        const capped = capChargeAtHold(charge, held);
        expect(capped).toEqual(charge);
        expect(capped.platform >= 0n).toBe(true);
      }),
    );
  });

  it("takes the whole overrun from the platform, whose part is negative exactly when the hold is below cost + developer", () => {
    fc.assert(
      fc.property(ratedAndHeld, ({ charge, held }) => {
        const capped = capChargeAtHold(charge, held);
        const overrun = charge.retail > held ? charge.retail - held : 0n;
        expect(capped.platform).toBe(charge.platform - overrun);
        expect(capped.platform < 0n).toBe(held < charge.cost + charge.developer);
      }),
      { numRuns: 2000 },
    );
  });

  it.each<[string, bigint, RatedCharge]>([
    ["the platform's share covers the overrun", 115n, { cost: 100n, retail: 115n, developer: 10n, platform: 5n }],
    ["the hold covers cost and developer only", 110n, { cost: 100n, retail: 110n, developer: 10n, platform: 0n }],
    ["the hold is below the cost", 50n, { cost: 100n, retail: 50n, developer: 10n, platform: -60n }],
  ])("example: %s", (_name, held, expected) => {
    expect(capChargeAtHold({ cost: 100n, retail: 120n, developer: 10n, platform: 10n }, held)).toEqual(expected);
  });
});
