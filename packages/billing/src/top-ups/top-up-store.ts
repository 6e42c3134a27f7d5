import type { Queryable } from "@modelfaucet/db";

/** A row of `top_ups` (migration 0007); amounts in units of 1e-8 USD. */
export interface TopUp {
  id: string;
  endUserId: string;
  amountUnits: bigint;
  status: "creating" | "open" | "paid" | "expired" | "failed";
  checkoutSessionId: string | null;
  paymentIntentId: string | null;
  refundedUnits: bigint;
  disputedUnits: bigint;
  receivableUnits: bigint;
}

interface TopUpRow {
  id: string;
  end_user_id: string;
  amount_units: string;
  status: TopUp["status"];
  checkout_session_id: string | null;
  payment_intent_id: string | null;
  refunded_units: string;
  disputed_units: string;
  receivable_units: string;
}

const COLUMNS = `id, end_user_id, amount_units::text, status, checkout_session_id, payment_intent_id,
  refunded_units::text, disputed_units::text, receivable_units::text`;

function toTopUp(row: TopUpRow): TopUp {
  return {
    id: row.id,
    endUserId: row.end_user_id,
    amountUnits: BigInt(row.amount_units),
    status: row.status,
    checkoutSessionId: row.checkout_session_id,
    paymentIntentId: row.payment_intent_id,
    refundedUnits: BigInt(row.refunded_units),
    disputedUnits: BigInt(row.disputed_units),
    receivableUnits: BigInt(row.receivable_units),
  };
}

const TOP_UP_ID = /^top_[A-Za-z0-9_]{1,64}$/;

export function isTopUpId(value: unknown): value is string {
  return typeof value === "string" && TOP_UP_ID.test(value);
}

/**
 * Finds and row-locks (FOR UPDATE) the top-up an event refers to: by checkout
 * session, payment intent or our own id, in that order. The lock serializes
 * every event of one top-up, so amounts already credited or clawed back are
 * read and updated without a race. Must run inside a transaction.
 */
export async function lockTopUp(
  tx: Queryable,
  keys: { checkoutSessionId?: string | null; paymentIntentId?: string | null; topUpId?: string | null },
): Promise<TopUp | null> {
  const lookups: Array<[string, string | null | undefined]> = [
    ["checkout_session_id", keys.checkoutSessionId],
    ["payment_intent_id", keys.paymentIntentId],
    ["id", isTopUpId(keys.topUpId) ? keys.topUpId : null],
  ];
  for (const [column, value] of lookups) {
    if (!value) continue;
    const { rows } = await tx.query<TopUpRow>(`SELECT ${COLUMNS} FROM top_ups WHERE ${column} = $1 FOR UPDATE`, [
      value,
    ]);
    if (rows[0]) return toTopUp(rows[0]);
  }
  return null;
}

/** Writes a new top-up in status `creating`, before Stripe is asked for a session. */
export async function insertTopUp(
  q: Queryable,
  topUp: { id: string; endUserId: string; amountUnits: bigint },
): Promise<void> {
  await q.query("INSERT INTO top_ups (id, end_user_id, amount_units) VALUES ($1, $2, $3)", [
    topUp.id,
    topUp.endUserId,
    topUp.amountUnits.toString(),
  ]);
}

export async function markTopUpOpen(q: Queryable, id: string, checkoutSessionId: string): Promise<void> {
  await q.query(
    `UPDATE top_ups SET status = 'open', checkout_session_id = $2, updated_at = now()
     WHERE id = $1 AND status = 'creating'`,
    [id, checkoutSessionId],
  );
}

/** `failed` (Stripe refused to create the session) or `expired` (never paid); never undoes `paid`. */
export async function markTopUpUnpaid(q: Queryable, id: string, status: "failed" | "expired"): Promise<void> {
  await q.query(`UPDATE top_ups SET status = $2, updated_at = now() WHERE id = $1 AND status <> 'paid'`, [id, status]);
}
