import { mkdirSync } from "node:fs";
import { PGlite, types } from "@electric-sql/pglite";
import type { Database, QueryResult, Queryable } from "./database.js";

export interface EmbeddedOptions {
  /** Directory holding the data files; omitted means in memory. */
  dataDir?: string;
  /** A `dumpDataDir()` tarball to start from (restore, or a test template). */
  loadDataDir?: Blob;
}

// PGlite parses int8 into a JS number, which silently loses precision past
// 2^53. Keep int8 (and numeric, its default) as strings, as `pg` does.
const parsers = { [types.INT8]: (value: string) => value };

function toResult<Row>(result: { rows: unknown[]; affectedRows?: number }): QueryResult<Row> {
  return { rows: result.rows as Row[], rowCount: result.affectedRows ?? result.rows.length };
}

/**
 * PGlite: PostgreSQL compiled to WASM, in this process. It runs one statement
 * at a time, so a transaction blocks every other query until it ends. fsync is
 * off inside PGlite: right for local use and tests, not for production money.
 */
export async function openEmbedded(options: EmbeddedOptions = {}): Promise<Database & { pglite: PGlite }> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const pglite = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    parsers,
  });

  return {
    kind: "embedded",
    pglite,
    async query<Row>(sql: string, params?: readonly unknown[]) {
      return toResult<Row>(await pglite.query(sql, params as unknown[] | undefined));
    },
    async exec(sql: string) {
      await pglite.exec(sql);
    },
    transaction<T>(work: (tx: Queryable) => Promise<T>) {
      return pglite.transaction((tx) =>
        work({
          async query<Row>(sql: string, params?: readonly unknown[]) {
            return toResult<Row>(await tx.query(sql, params as unknown[] | undefined));
          },
          async exec(sql: string) {
            await tx.exec(sql);
          },
        }),
      );
    },
    close: () => pglite.close(),
  };
}
