import { describe, expect, it } from "vitest";
import { formatUsd, isPositiveUsd, subtractUsd } from "./usd.js";

describe("money strings", () => {
  it("subtracts exactly, in 1e-8 units", () => {
    expect(subtractUsd("1.00000000", "0.00001234")).toBe("0.99998766");
    expect(subtractUsd("0.00000001", "0.00000002")).toBe("-0.00000001");
    expect(subtractUsd("0.10000000", "0.20000000")).toBe("-0.10000000");
  });

  it("shows at least cents and never rounds", () => {
    expect(formatUsd("10.00000000")).toBe("$10.00");
    expect(formatUsd("0.00012300")).toBe("$0.000123");
    expect(formatUsd("0.99998766")).toBe("$0.99998766");
    expect(formatUsd("-0.50000000")).toBe("-$0.50");
  });

  it("tells a positive amount from zero and debt", () => {
    expect([isPositiveUsd("0.00000001"), isPositiveUsd("0.00000000"), isPositiveUsd("-1.00000000")]).toEqual([
      true,
      false,
      false,
    ]);
  });
});
