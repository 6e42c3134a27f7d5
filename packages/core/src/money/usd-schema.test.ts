import { describe, expect, it } from "vitest";

import { usdString, usdStringSchema, usdUnitsSchema } from "./usd-schema.js";

describe("usdString", () => {
  it("normalises an accepted amount to 8 decimals", () => {
    expect(usdString.parse("0.5")).toBe("0.50000000");
    expect(usdString.parse("10.00000000")).toBe("10.00000000");
  });

  it.each([["-1"], ["1e3"], [""], [" 1"], [1], [null]])("rejects %j", (input) => {
    expect(usdString.safeParse(input).success).toBe(false);
  });

  it("names the field in every message", () => {
    const schema = usdStringSchema({ field: "amount_usd" });
    const messages = [undefined, 12, "1.123456789", "-1"].map(
      (input) => schema.safeParse(input).error?.issues[0]?.message,
    );
    expect(messages).toEqual([
      "amount_usd is required",
      'amount_usd must be a decimal string such as "12.50"',
      "amount_usd must have at most 8 decimals and no leading zeros",
      "amount_usd must not be negative",
    ]);
  });

  it("can output units and accept negatives when asked", () => {
    expect(usdUnitsSchema().parse("12.34567800")).toBe(1_234_567_800n);
    expect(usdUnitsSchema({ allowNegative: true }).parse("-0.00000005")).toBe(-5n);
    expect(usdUnitsSchema().safeParse("-0.00000005").success).toBe(false);
  });
});
