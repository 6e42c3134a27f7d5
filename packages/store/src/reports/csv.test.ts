import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../testing/parse-csv.js";
import { csvField, csvRecord, neutralizeFormula } from "./csv.js";

/** What a cell reads as once the neutralization prefix is taken off. */
const unneutralized = (cell: string, original: string) =>
  neutralizeFormula(original) !== original ? cell.slice(1) : cell;

describe("CSV quoting and formula neutralization", () => {
  it.each([
    ["plain", "plain"],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["line\nbreak", '"line\nbreak"'],
    ["=1+2", "'=1+2"],
    ["+1", "'+1"],
    ["-x", "'-x"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tTAB", "'\tTAB"],
    ["\r=cmd", '"\'\r=cmd"'],
    ['=HYPERLINK("http://x","y")', '"\'=HYPERLINK(""http://x"",""y"")"'],
    ["-12.5", "-12.5"],
    ["héllo ✓", "héllo ✓"],
    ["", ""],
  ])("%j → %j", (input, expected) => {
    expect(csvField(input)).toBe(expected);
  });

  it("prints null as an empty field, numbers and dates plainly", () => {
    expect(csvRecord([null, undefined, 3, -2n, true, new Date("2026-01-02T03:04:05.000Z")])).toBe(
      ",,3,-2,true,2026-01-02T03:04:05.000Z\r\n",
    );
  });

  it("round-trips any string through the parser, minus the neutralization prefix", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "binary" }), { minLength: 1, maxLength: 6 }), (fields) => {
        const [parsed] = parseCsv(csvRecord(fields));
        expect(parsed).toHaveLength(fields.length);
        parsed!.forEach((cell, index) => {
          const original = fields[index]!;
          expect(unneutralized(cell, original)).toBe(original);
          expect(/^[=+\-@\t\r]/.test(cell) && !/^-?\d+(\.\d+)?$/.test(cell)).toBe(false);
        });
      }),
      { numRuns: 500 },
    );
  });
});
