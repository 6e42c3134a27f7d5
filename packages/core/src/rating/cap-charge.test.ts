import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { capChargeAtHold } from "./cap-charge.js";

const units = fc.bigInt({ min: 0n, max: 10n ** 15n });

describe("capChargeAtHold", () => {
  it("never charges more than held, keeps the cost, and the parts still add up", () => {
    fc.assert(
      fc.property(units, units, units, units, (cost, developer, platform, held) => {
        const charge = { cost, developer, platform, retail: cost + developer + platform };
        const capped = capChargeAtHold(charge, held);
        expect(capped.retail).toBeLessThanOrEqual(held > charge.retail ? charge.retail : held);
        expect(capped.cost).toBe(cost);
        expect(capped.cost + capped.developer + capped.platform).toBe(capped.retail);
        expect(capped.developer >= 0n).toBe(true);
        if (charge.retail <= held) expect(capped).toEqual(charge);
      }),
    );
  });
});
