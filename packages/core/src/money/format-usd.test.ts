import { describe, expect, it } from "vitest";

import { formatUsd } from "./format-usd.js";

describe("formatUsd", () => {
  it.each([
    [0n, "0.00000000"],
    [1n, "0.00000001"],
    [-5n, "-0.00000005"],
    [1234567800n, "12.34567800"],
    [-1234567800n, "-12.34567800"],
    [100_000_000n, "1.00000000"],
    [123456789012345678901234567890n, "1234567890123456789012.34567890"],
  ])("%s → %s", (units, text) => {
    expect(formatUsd(units)).toBe(text);
  });
});
