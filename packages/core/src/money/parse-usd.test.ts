import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { AppError } from "../errors/app-error.js";
import { formatUsd } from "./format-usd.js";
import { parseUsd } from "./parse-usd.js";

/** Largest amount parseUsd accepts: 20 nines and 8 nines of decimals. */
const MAX_UNITS = 10n ** 28n - 1n;

const BAD_INPUTS: unknown[] = [
  "",
  " ",
  " 1",
  "1 ",
  "1\n",
  "1e3",
  "1E3",
  "1e-3",
  "+1",
  "1.123456789",
  "NaN",
  "Infinity",
  "-Infinity",
  "0x10",
  "0b1",
  "0o7",
  "1,5",
  "1,000.00",
  "1_000",
  "1.",
  ".5",
  "-.5",
  "01",
  "00.5",
  "1..2",
  "1.2.3",
  "--1",
  "- 1",
  "٣",
  "１",
  "１.５",
  "1.٥",
  "𝟏",
  "1".repeat(21),
  "1".repeat(1000),
  "12abc",
  "$1",
  "1$",
  "USD 1",
  null,
  undefined,
  1,
  1n,
  {},
  ["1"],
];

/** A short, printable test name (vitest cannot print bigints with %j). */
function label(input: unknown): string {
  const text = typeof input === "bigint" ? `${input}n` : (JSON.stringify(input) ?? String(input));
  return text.length > 24 ? `${text.slice(0, 24)}… (${text.length} chars)` : text;
}

function expectInvalid(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("invalid_request");
    expect((error as AppError).status).toBe(400);
    return;
  }
  expect.fail("expected parseUsd to throw");
}

describe("parseUsd", () => {
  it.each([
    ["0", 0n],
    ["0.0", 0n],
    ["1", 100_000_000n],
    ["12.5", 1_250_000_000n],
    ["12.34567800", 1_234_567_800n],
    ["0.00000001", 1n],
    ["2.50", 250_000_000n],
    ["9".repeat(20) + ".99999999", MAX_UNITS],
  ])("parses %j", (text, units) => {
    expect(parseUsd(text)).toBe(units);
  });

  it("accepts a leading minus only when allowed", () => {
    expectInvalid(() => parseUsd("-1"));
    expectInvalid(() => parseUsd("-0.00000005"));
    expect(parseUsd("-1", { allowNegative: true })).toBe(-100_000_000n);
    expect(parseUsd("-0.00000005", { allowNegative: true })).toBe(-5n);
    expect(parseUsd("-0", { allowNegative: true })).toBe(0n);
  });

  it.each(BAD_INPUTS.map((input) => [label(input), input]))("rejects %s", (_label, input) => {
    expectInvalid(() => parseUsd(input));
    expectInvalid(() => parseUsd(input, { allowNegative: true }));
  });

  it("names the field in its message", () => {
    expect(() => parseUsd("1e3", { field: "amount_usd" })).toThrow(/^amount_usd /);
    expect(() => parseUsd("-1", { field: "threshold_usd" })).toThrow("threshold_usd must not be negative");
    expect(() => parseUsd("1.123456789")).toThrow("amount must have at most 8 decimals");
  });

  it("format∘parse round-trips every amount", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -MAX_UNITS, max: MAX_UNITS }), (units) => {
        const text = formatUsd(units);
        expect(parseUsd(text, { allowNegative: true })).toBe(units);
        if (units >= 0n) expect(parseUsd(text)).toBe(units);
      }),
    );
  });

  it("parse∘format normalises any accepted spelling to the canonical one", () => {
    const accepted = fc.stringMatching(/^(0|[1-9][0-9]{0,19})(\.[0-9]{1,8})?$/);
    fc.assert(
      fc.property(accepted, (text) => {
        const canonical = formatUsd(parseUsd(text));
        expect(parseUsd(canonical)).toBe(parseUsd(text));
        expect(Number(canonical)).toBeCloseTo(Number(text), 6);
      }),
    );
  });

  it("rejects every string outside the grammar", () => {
    const grammar = /^-?(0|[1-9][0-9]{0,19})(\.[0-9]{1,8})?$/;
    const noisy = fc.oneof(
      fc.string({ unit: "grapheme", maxLength: 12 }),
      fc.string({ unit: fc.constantFrom(..."0123456789.-+eE ,_x"), maxLength: 32 }),
    );
    fc.assert(
      fc.property(noisy, (text) => {
        if (grammar.test(text)) return;
        expectInvalid(() => parseUsd(text, { allowNegative: true }));
      }),
      { numRuns: 2000 },
    );
  });
});
