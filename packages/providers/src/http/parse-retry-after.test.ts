import { describe, expect, it } from "vitest";
import { parseRetryAfter } from "./parse-retry-after.js";

describe("parseRetryAfter", () => {
  const now = Date.parse("2025-01-01T00:00:00Z");

  it("reads delay-seconds and HTTP dates", () => {
    expect(parseRetryAfter({ "retry-after": "7" }, now)).toBe(7);
    expect(parseRetryAfter({ "retry-after": "Wed, 01 Jan 2025 00:00:30 GMT" }, now)).toBe(30);
    expect(parseRetryAfter({ "retry-after": "Tue, 31 Dec 2024 23:00:00 GMT" }, now)).toBe(0);
  });

  it("prefers retry-after-ms, rounded up to whole seconds", () => {
    expect(parseRetryAfter({ "retry-after-ms": "1200", "retry-after": "9" }, now)).toBe(2);
  });

  it("ignores absent, malformed, negative and implausible values", () => {
    expect(parseRetryAfter({}, now)).toBeUndefined();
    expect(parseRetryAfter({ "retry-after": "soon" }, now)).toBeUndefined();
    expect(parseRetryAfter({ "retry-after": "-3" }, now)).toBeUndefined();
    expect(parseRetryAfter({ "retry-after": "1.5" }, now)).toBeUndefined();
    expect(parseRetryAfter({ "retry-after": "999999999" }, now)).toBeUndefined();
    expect(parseRetryAfter({ "retry-after-ms": "", "retry-after": "4" }, now)).toBe(4);
  });
});
