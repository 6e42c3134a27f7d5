import { describe, expect, it } from "vitest";
import { resolveLimits } from "./resolve-limits.js";

const DEFAULTS = Object.freeze({ headersTimeoutMs: 60_000, maxResponseBytes: 1024 });

describe("resolveLimits", () => {
  it("fills in each default the options leave out, and keeps what they set", () => {
    expect(resolveLimits("p", { maxResponseBytes: 10 }, DEFAULTS)).toEqual({
      headersTimeoutMs: 60_000,
      maxResponseBytes: 10,
    });
  });

  it("ignores options that are not limits", () => {
    const options = { headersTimeoutMs: 5, id: "p" } as { headersTimeoutMs: number };
    expect(Object.keys(resolveLimits("p", options, DEFAULTS))).toEqual(["headersTimeoutMs", "maxResponseBytes"]);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1])("refuses %s, naming the option", (value) => {
    expect(() => resolveLimits("p", { maxResponseBytes: value }, DEFAULTS)).toThrow(
      new RangeError(`provider "p": maxResponseBytes must be a positive integer, got ${String(value)}`),
    );
  });
});
