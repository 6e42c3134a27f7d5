import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { rateCacheHit } from "./rate-cache-hit.js";

describe("rateCacheHit", () => {
  it("charges the cache price, all margin, the developer's share rounded down", () => {
    // 0.00001234 USD at 40 %: 1234 × 0.4 = 493.6 → 493 to the developer, 741 to the platform.
    expect(rateCacheHit(1234n, 4000)).toEqual({ cost: 0n, retail: 1234n, developer: 493n, platform: 741n });
  });

  it("charges nothing when the cache price is zero", () => {
    expect(rateCacheHit(0n, 10_000)).toEqual({ cost: 0n, retail: 0n, developer: 0n, platform: 0n });
  });

  it("splits exactly: the parts add up to the price for any price and share", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 14n }), fc.integer({ min: 0, max: 10_000 }), (price, share) => {
        const charge = rateCacheHit(price, share);
        expect(charge.cost).toBe(0n);
        expect(charge.retail).toBe(price);
        expect(charge.developer + charge.platform).toBe(price);
        expect(charge.developer).toBe((price * BigInt(share)) / 10_000n);
        expect(charge.platform).toBeGreaterThanOrEqual(0n);
      }),
    );
  });

  it("refuses out-of-range input as an invariant violation", () => {
    expect(() => rateCacheHit(-1n, 4000)).toThrow(RangeError);
    expect(() => rateCacheHit(1n, 10_001)).toThrow(RangeError);
    expect(() => rateCacheHit(1n, 0.5)).toThrow(RangeError);
  });
});
