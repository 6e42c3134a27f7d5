import { describe, expect, it } from "vitest";
import { escapeUnsafeText, findUnsafeText, isSafeText } from "./safe-text.js";

const limits = { maxDepth: 4, maxIssues: 10 };

describe("isSafeText", () => {
  it.each([
    ["plain", true],
    ["naïve ☕ 日本語", true],
    ["😀 a surrogate pair", true],
    ["", true],
    ["a\u0000b", false],
    ["\ud800", false],
    ["x\udc00", false],
    ["\ude00\ud83d (pair in the wrong order)", false],
  ])("%j → %s", (text, safe) => {
    expect(isSafeText(text)).toBe(safe);
  });
});

describe("findUnsafeText", () => {
  it("reports every unsafe string and key with its path, in document order", () => {
    const value = { a: "ok", b: ["x", "\u0000"], c: { "k\ud800": "v", d: "\udc00" }, e: 1, f: null };
    expect(findUnsafeText(value, limits)).toEqual([
      { path: ["b", 1], message: expect.stringContaining("NUL") },
      { path: ["c", "k\\ud800"], message: expect.stringMatching(/^keys /) },
      { path: ["c", "d"], message: expect.stringContaining("surrogates") },
    ]);
  });

  it("checks a bare string, and skips what is not text (a Buffer, numbers)", () => {
    expect(findUnsafeText("\u0000", limits)).toHaveLength(1);
    expect(findUnsafeText(Buffer.from("\u0000"), limits)).toEqual([]);
    expect(findUnsafeText([1, true, null, undefined], limits)).toEqual([]);
  });

  it("reports nesting beyond maxDepth once, without walking it", () => {
    let deep: unknown = "\u0000";
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findUnsafeText({ deep }, limits)).toEqual([
      { path: ["deep", 0, 0, 0], message: "must not nest arrays or objects more than 4 levels deep" },
    ]);
    expect(findUnsafeText({ a: { b: { c: "ok" } } }, limits)).toEqual([]);
  });

  it("stops at maxIssues", () => {
    expect(findUnsafeText(Array(100).fill("\u0000"), limits)).toHaveLength(10);
  });
});

describe("escapeUnsafeText", () => {
  it("writes unsafe characters as \\u escapes and keeps the rest", () => {
    expect(escapeUnsafeText("a\u0000b\ud800😀")).toBe("a\\u0000b\\ud800😀");
  });
});
