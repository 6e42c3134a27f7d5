import type { PayoutStatus } from "@modelfaucet/contract";
import { AppError, isSafeText } from "@modelfaucet/core";
import type { Queryable } from "@modelfaucet/db";
import { PAYOUT_COLUMNS, type PayoutRow } from "./payout-record.js";

export interface ListPayoutsInput {
  status?: PayoutStatus | undefined;
  developerId?: string | undefined;
  /** 1–200. */
  limit: number;
  /** The `next_cursor` of the previous page. */
  cursor?: string | undefined;
}

/** Newest first, keyset-paginated on (created_at, id) so a page costs the same however deep. */
export async function listPayouts(q: Queryable, input: ListPayoutsInput) {
  const after = input.cursor ? decodeCursor(input.cursor) : undefined;
  const { rows } = await q.query<PayoutRow & { cursor_at: string }>(
    `SELECT ${PAYOUT_COLUMNS}, created_at::text AS cursor_at FROM payouts
     WHERE ($1::text IS NULL OR status = $1)
       AND ($2::text IS NULL OR developer_id = $2)
       AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::text))
     ORDER BY created_at DESC, id DESC
     LIMIT $5`,
    [input.status ?? null, input.developerId ?? null, after?.at ?? null, after?.id ?? null, input.limit + 1],
  );
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  const nextCursor = rows.length > input.limit && last ? encodeCursor(last.cursor_at, last.id) : null;
  return { payouts: page as PayoutRow[], nextCursor };
}

export async function getPayout(q: Queryable, payoutId: string): Promise<PayoutRow> {
  const { rows } = await q.query<PayoutRow>(`SELECT ${PAYOUT_COLUMNS} FROM payouts WHERE id = $1`, [payoutId]);
  if (!rows[0]) throw new AppError("not_found", "No payout with this id.");
  return rows[0];
}

/** PostgreSQL's text form of a timestamptz, e.g. `2026-01-02 03:04:05.123456+00`. */
const TIMESTAMP_TEXT = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)$/;

const encodeCursor = (at: string, id: string) => Buffer.from(JSON.stringify([at, id])).toString("base64url");

function decodeCursor(cursor: string): { at: string; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[];
    if (typeof at === "string" && typeof id === "string" && TIMESTAMP_TEXT.test(at) && isSafeText(id)) {
      return { at, id };
    }
  } catch {
    // fall through to the refusal
  }
  throw new AppError("invalid_request", "cursor: not a cursor this endpoint returned.");
}
