import type { Queryable } from "@modelfaucet/db";
import { formatUsd } from "@modelfaucet/core";
import { csvRecord, type CsvValue } from "./csv.js";
import type { DateRange } from "./date-range.js";
import { EXACT_CREATED_AT, keysetBatches } from "./keyset-batches.js";

/**
 * The header sent while the database has no `payouts` table (payouts are
 * added by another migration): the report is then just this header row, a
 * valid, empty CSV, so a scheduled export does not break when payouts ship.
 */
export const DEFAULT_PAYOUT_COLUMNS = ["id", "developer_id", "status", "amount_usd", "created_at"] as const;

interface ColumnRow {
  column_name: string;
  data_type: string;
}

/**
 * payouts.csv: every row of `payouts` created in the range, all its columns in
 * table order (read from information_schema, so the report follows the table
 * as it evolves). Columns named `*_units` are amounts and print as `*_usd`.
 * The table must have `id` and `created_at` (the keyset order); without the
 * table, or without those columns, only the header row is sent.
 */
export async function* payoutsReport(db: Queryable, range: DateRange): AsyncGenerator<string> {
  const { rows: columns } = await db.query<ColumnRow>(
    `SELECT column_name, data_type FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = 'payouts' ORDER BY ordinal_position`,
  );
  const names = columns.map((column) => column.column_name);
  if (!names.includes("id") || !names.includes("created_at")) {
    yield csvRecord(DEFAULT_PAYOUT_COLUMNS);
    return;
  }
  yield csvRecord(names.map((name) => (name.endsWith("_units") ? `${name.slice(0, -"_units".length)}_usd` : name)));
  const select = columns
    .map((column) =>
      column.data_type === "numeric" ? `${quote(column.column_name)}::text` : quote(column.column_name),
    )
    .map((expression, index) => `${expression} AS c${index}`)
    .join(", ");
  const sql = `
    SELECT ${EXACT_CREATED_AT} AS cursor_at, id::text AS id, ${select}
    FROM payouts
    WHERE (created_at, id::text) > ($2::timestamptz, $3::text) AND created_at < $1::timestamptz
    ORDER BY created_at, id::text
    LIMIT $4`;
  for await (const rows of keysetBatches<Record<string, unknown> & { cursor_at: string; id: string }>(db, sql, range)) {
    let chunk = "";
    for (const row of rows) {
      chunk += csvRecord(names.map((name, index) => cell(name, row[`c${index}`])));
    }
    yield chunk;
  }
}

function cell(name: string, value: unknown): CsvValue {
  if (value === null || value === undefined) return null;
  if (name.endsWith("_units") && typeof value === "string" && /^-?\d+$/.test(value)) return formatUsd(BigInt(value));
  if (value instanceof Date || typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
    return value;
  }
  if (typeof value === "bigint") return value;
  return JSON.stringify(value);
}

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;
