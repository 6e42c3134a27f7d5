import { describe, expect, it } from "vitest";
import { findJsonBoundsIssue } from "./json-bounds.js";

const bounds = { maxDepth: 3, maxArrayLength: 4, maxStringLength: 5 };

function nested(levels: number, leaf: unknown = 1): unknown {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}

describe("findJsonBoundsIssue", () => {
  it("accepts values within every bound", () => {
    expect(findJsonBoundsIssue({ a: [1, "12345", { b: null }], c: true }, bounds)).toBeUndefined();
    expect(findJsonBoundsIssue(nested(3), bounds)).toBeUndefined();
    expect(findJsonBoundsIssue("12345", bounds)).toBeUndefined();
    expect(findJsonBoundsIssue(42, bounds)).toBeUndefined();
  });

  it("names the first container nested one level too deep", () => {
    expect(findJsonBoundsIssue({ ok: 1, x: [[{}]] }, bounds)).toEqual({
      path: ["x", 0, 0],
      message: "must not nest arrays or objects more than 3 levels deep",
    });
  });

  it("walks a value nested 100,000 levels without recursion and reports it at the limit", () => {
    expect(findJsonBoundsIssue({ deep: nested(100_000) }, { ...bounds, maxDepth: 64 })?.path).toHaveLength(64);
  });

  it("names a too-long array, string value and key", () => {
    expect(findJsonBoundsIssue({ list: [1, 2, 3, 4, 5] }, bounds)).toEqual({
      path: ["list"],
      message: "must not have more than 4 items",
    });
    expect(findJsonBoundsIssue({ a: ["ok", "123456"] }, bounds)).toEqual({
      path: ["a", 1],
      message: "must not be longer than 5 characters",
    });
    expect(findJsonBoundsIssue({ a: { "123456": 1 } }, bounds)).toEqual({
      path: ["a"],
      message: "must not have keys longer than 5 characters",
    });
  });

  it("reports issues in document order", () => {
    expect(findJsonBoundsIssue({ first: "123456", second: [1, 2, 3, 4, 5] }, bounds)?.path).toEqual(["first"]);
  });
});
