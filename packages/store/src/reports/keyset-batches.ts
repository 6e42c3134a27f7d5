import type { Queryable } from "@modelfaucet/db";

/** Rows fetched per query by every report: the most a report holds in memory at once. */
export const REPORT_BATCH_ROWS = 1000;

/**
 * The exact `created_at` of a row as ISO 8601 UTC with microseconds. JS Dates
 * keep milliseconds only, so a keyset cursor must stay text or rows sharing a
 * millisecond would be repeated or skipped.
 */
export const EXACT_CREATED_AT = `to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export interface KeysetCursor {
  /** EXACT_CREATED_AT of the last row sent. */
  createdAt: string;
  id: string;
}

/**
 * Walks a table in (created_at, id) order, REPORT_BATCH_ROWS at a time, each
 * batch its own short query starting after the last row of the one before
 * (keyset pagination: no OFFSET, no open transaction or cursor between
 * batches, so the database is never held while a slow client reads). `sql`
 * must select `cursor_at` (EXACT_CREATED_AT) and `id`, and take `$1` = range
 * end (exclusive), `$2`/`$3` = cursor (created_at, id), `$4` = limit,
 * ordering by created_at, id. The first cursor is (range start, ""), so the range start
 * needs no condition of its own: with only the row comparison and the end
 * bound, the planner walks the (created_at, id) index in order and stops after
 * `limit` rows, whatever its statistics say.
 */
export async function* keysetBatches<Row extends { cursor_at: string; id: string }>(
  db: Queryable,
  sql: string,
  range: { from: Date; to: Date },
): AsyncGenerator<Row[]> {
  let cursor: KeysetCursor = { createdAt: range.from.toISOString(), id: "" };
  for (;;) {
    const { rows } = await db.query<Row>(sql, [range.to.toISOString(), cursor.createdAt, cursor.id, REPORT_BATCH_ROWS]);
    if (rows.length > 0) yield rows;
    if (rows.length < REPORT_BATCH_ROWS) return;
    const last = rows[rows.length - 1]!;
    cursor = { createdAt: last.cursor_at, id: last.id };
  }
}
