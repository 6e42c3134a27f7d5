import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");

/** HTTP wiring and Fastify plumbing: their SQL belongs in @modelfaucet/store (DESIGN.md, "Layout"). */
const WITHOUT_SQL = ["apps/api/src", "apps/gateway/src", "packages/server-kit/src"];

/**
 * server-kit's database plumbing, which reads and writes no table: the
 * availability probe (`SELECT 1`) and the LISTEN / NOTIFY channel session
 * invalidations travel on.
 */
const PLUMBING = new Set([
  "packages/server-kit/src/plugins/database-availability.ts",
  "packages/server-kit/src/auth/postgres-invalidation-channel.ts",
]);

/** A statement run, or SQL text: `db.query(`, `tx.query<Row>(`, `SELECT … `, `INSERT INTO`, `UPDATE t SET`, `DELETE FROM`. */
const SQL = /\.query\s*[<(]|\b(SELECT|INSERT INTO|DELETE FROM)\b|\bUPDATE [a-z_]+ SET\b/;

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === "testing" ? [] : sourceFiles(path);
    return path.endsWith(".ts") && !path.endsWith(".test.ts") ? [path] : [];
  });
}

describe("SQL lives in @modelfaucet/store", () => {
  it("leaves none in the API's and the Gateway's sources or in server-kit, but for server-kit's plumbing", () => {
    const offenders = WITHOUT_SQL.flatMap(sourceFiles)
      .filter((path) => !PLUMBING.has(path))
      .flatMap((path) =>
        readFileSync(join(ROOT, path), "utf8")
          .split("\n")
          .flatMap((line, index) => (SQL.test(line) ? [`${path}:${index + 1}: ${line.trim()}`] : [])),
      );
    expect(offenders).toEqual([]);
  });
});
