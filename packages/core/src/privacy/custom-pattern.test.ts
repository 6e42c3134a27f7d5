import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileCustomPattern, CustomPatternError } from "./custom-pattern.js";
import { compileRedactionPolicy } from "./redaction-policy.js";

const compile = (pattern: string, name = "ORDER_ID") => compileCustomPattern({ name, pattern });
const matches = (pattern: string, text: string) =>
  compile(pattern)
    .find(text)
    .map(({ start, end }) => text.slice(start, end));

describe("a developer's pattern", () => {
  it.each([
    ["ORD-\\d{6}", "orders ORD-123456, ORD-654321.", ["ORD-123456", "ORD-654321"]],
    ["[A-Z]{2}\\d{3,5}", "AB123 and CD12345 but not ABC1234 or ab123", ["AB123", "CD12345"]],
    ["\\w{2}-\\d?\\d{2}", "x1-23 and ab-123", ["x1-23", "ab-123"]],
    ["K\\.\\d{3}", "K.123 K-123", ["K.123"]],
    ["id.{3}", "id#4z id   x", ["id#4z"]],
    ["[A-F0-9-]{4,8}", "hash 0A-1F-2E dash", ["0A-1F-2E"]],
    ["\\d{3,4}x?", "123x 1234 12345", ["123x", "1234"]],
  ])("%s finds its leftmost-longest matches, at word boundaries", (pattern, text, expected) => {
    expect(matches(pattern, text)).toEqual(expected);
  });

  it.each([
    ["a+", /`\+` \(unbounded\)/],
    ["a*b", /`\*` \(unbounded\)/],
    ["(ab){2}", /groups/],
    ["a|bcd", /alternation/],
    ["^abc", /anchors/],
    ["[^a]bc", /negated classes/],
    ["ab", /at least 3 characters/],
    ["a{0,2}b?", /at least 3 characters/],
    ["a{40}", /1 ≤ m ≤ 32/],
    ["a{3,2}", /0 ≤ n ≤ m/],
    ["\\d{32}\\d{32}x", /at most 64 characters/],
    ["a b c", /whitespace/],
    ['a"bc', /whitespace, control characters/],
    ["ab\\[c", /unsupported escape/],
    ["[a-9]bc", /a range must run/],
    ["[abc", /not closed/],
    ["x".repeat(129), /1–128 characters/],
  ])("refuses %s", (pattern, message) => {
    expect(() => compile(pattern)).toThrow(CustomPatternError);
    expect(() => compile(pattern)).toThrow(message);
  });

  it("refuses names that are not labels, or taken", () => {
    expect(() => compile("abc", "order id")).toThrow(/name must be/);
    expect(() => compileRedactionPolicy([{ name: "EMAIL", pattern: "abc" }])).toThrow(/the name is taken/);
    const many = Array.from({ length: 17 }, (_, index) => ({ name: `P${index}X`, pattern: "abc" }));
    expect(() => compileRedactionPolicy(many)).toThrow(/at most 16 patterns/);
    const wide = Array.from({ length: 5 }, (_, index) => ({ name: `P${index}X`, pattern: "\\d{32}\\d{32}" }));
    expect(() => compileRedactionPolicy(wide)).toThrow(/at most 256 characters together/);
  });

  it("finds what a brute-force reference finds, on random patterns and texts", () => {
    const item = fc.constantFrom("a", "b", "\\d", "[ab]", "[a-c1]", ".", "-");
    const repeat = fc.constantFrom("", "?", "{2}", "{0,2}", "{1,3}");
    const patternArb = fc
      .array(fc.tuple(item, repeat), { minLength: 1, maxLength: 5 })
      .map((parts) => parts.map(([i, r]) => i + r).join(""))
      .filter((pattern) => {
        try {
          compile(pattern);
          return true;
        } catch {
          return false;
        }
      });
    const textArb = fc
      .array(fc.constantFrom("a", "b", "c", "1", "2", "-", " ", "x"), { maxLength: 24 })
      .map((cs) => cs.join(""));
    fc.assert(
      fc.property(patternArb, textArb, (pattern, text) => {
        expect(matches(pattern, text)).toEqual(referenceMatches(pattern, text));
      }),
      { numRuns: 400 },
    );
  });

  it("matches in linear time, whatever the text (no backtracking)", () => {
    const pattern = compile("\\d{1,32}\\d{1,31}x");
    const time = (length: number) => {
      const text = "1".repeat(length);
      const started = performance.now();
      expect(pattern.find(text)).toEqual([]);
      return performance.now() - started;
    };
    time(10_000);
    const big = time(200_000);
    // A backtracking engine needs minutes here (each start tries every split of the run); this is ~20 ms.
    expect(big).toBeLessThan(1000);
  });
});

/** Leftmost-longest, non-overlapping matches at word boundaries, by testing every substring with a full-match RegExp. */
function referenceMatches(pattern: string, text: string): string[] {
  const whole = new RegExp(`^(?:${pattern.replaceAll(".", '[^\\s"\\\\\\[\\]\\x00-\\x1f\\x7f]')})$`);
  const word = (index: number) => index >= 0 && index < text.length && /\w/.test(text[index]!);
  const found: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = -1;
    for (let candidate = start + 1; candidate <= Math.min(text.length, start + 64); candidate++) {
      const bounded = !(word(start) && word(start - 1)) && !(word(candidate - 1) && word(candidate));
      if (bounded && whole.test(text.slice(start, candidate))) end = candidate;
    }
    if (end === -1) start++;
    else {
      found.push(text.slice(start, end));
      start = end;
    }
  }
  return found;
}
