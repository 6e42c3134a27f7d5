import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "./database.js";
import { openEmbedded } from "./embedded-database.js";

/**
 * Migration 0010 replaced bounded regular expressions in hot CHECK
 * constraints by unbounded ones plus a length test. These properties show the
 * two accept exactly the same strings, evaluated by the database itself.
 */
const REWRITES = [
  { before: "^[ -~]{1,200}$", pattern: "^[ -~]+$", maxLength: 200, prefix: "" },
  { before: "^[ -~]{1,128}$", pattern: "^[ -~]+$", maxLength: 128, prefix: "" },
  { before: "^[a-z][a-z0-9_]{0,63}$", pattern: "^[a-z][a-z0-9_]*$", maxLength: 64, prefix: "" },
  { before: "^use_[A-Za-z0-9_]{1,64}$", pattern: "^use_[A-Za-z0-9_]+$", maxLength: 68, prefix: "use_" },
  { before: "^user:[A-Za-z0-9_.:-]{1,128}$", pattern: "^user:[A-Za-z0-9_.:-]+$", maxLength: 133, prefix: "user:" },
  {
    before: "^developer:[A-Za-z0-9_.:-]{1,128}$",
    pattern: "^developer:[A-Za-z0-9_.:-]+$",
    maxLength: 138,
    prefix: "developer:",
  },
];

/** Valid-looking strings one shorter than, at and one past the length limit. */
function boundaries({ prefix, maxLength }: (typeof REWRITES)[number]): string[] {
  return [-1, 0, 1].map((step) => prefix + "a".repeat(maxLength - prefix.length + step));
}

/** Strings near each boundary: the prefixes, allowed and forbidden characters, lengths around the limits. */
const candidates = fc
  .tuple(
    fc.constantFrom("", "use_", "user:", "developer:", "a", "A", "_"),
    fc.oneof(
      fc.integer({ min: 0, max: 210 }).map((length) => "a".repeat(length)),
      fc.string({ unit: fc.constantFrom("a", "Z", "0", "_", ".", ":", "-", " ", "~"), maxLength: 210 }),
      fc.string({ unit: "grapheme", maxLength: 40 }),
      fc.string({ unit: fc.constantFrom("a", "\t", "\u007f", "é", "\u{1F600}", "\n"), maxLength: 140 }),
    ),
  )
  .map(([prefix, rest]) => prefix + rest);

let db: Database;
beforeAll(async () => {
  db = await openEmbedded();
});
afterAll(async () => {
  await db.close();
});

describe("cheaper format checks (migration 0010)", () => {
  it.each(REWRITES)("$pattern within $maxLength accepts exactly what $before did", async (rewrite) => {
    await fc.assert(
      fc.asyncProperty(fc.array(candidates, { minLength: 1, maxLength: 50 }), async (strings) => {
        const { rows } = await db.query<{ value: string; before: boolean; after: boolean }>(
          `SELECT s AS value, s ~ $2 AS before, (s ~ $3 AND length(s) <= $4) AS after
           FROM unnest($1::text[]) AS s`,
          [[...boundaries(rewrite), ...strings], rewrite.before, rewrite.pattern, rewrite.maxLength],
        );
        for (const row of rows) expect(row.after, JSON.stringify(row.value)).toBe(row.before);
      }),
      { numRuns: 60 },
    );
  });
});
