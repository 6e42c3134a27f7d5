/**
 * posted: moves `amount` at once. pending: reserves it (a hold) until it is
 * resolved by exactly one of post_pending (moves up to the held amount,
 * releases the rest), void_pending (releases all) or expire_pending (written
 * by the sweeper once the hold's expiry has passed).
 */
export type TransferKind = "posted" | "pending" | "post_pending" | "void_pending" | "expire_pending";

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** A stored transfer. Immutable: a mistake is corrected by another transfer. */
export interface Transfer {
  /** Chosen by the caller; the idempotency key. */
  id: string;
  /** Insertion order, for history pages. */
  seq: bigint;
  kind: TransferKind;
  debitAccountId: string;
  creditAccountId: string;
  /**
   * Units of 1e-8 USD, > 0. For post_pending the amount posted; for
   * void_pending / expire_pending the amount released (the whole hold).
   */
  amount: bigint;
  /** The pending transfer a post/void/expire resolves; null otherwise. */
  pendingId: string | null;
  /** Why the money moved (`^[a-z][a-z0-9_]{0,63}$`): a TRANSFER_CODES value when written by this platform. */
  code: string;
  requestId: string | null;
  metadata: JsonObject | null;
  /** pending only: the timeout the caller asked for, when it gave one rather than `expiresAt`. */
  timeoutSeconds: number | null;
  /** pending only: when the sweeper may release the hold. */
  expiresAt: Date | null;
  createdAt: Date;
}

/** A transfer about to be inserted: everything but what the database assigns. */
export type TransferRecord = Omit<Transfer, "seq" | "createdAt">;

/** How transfers come out of SQL (amounts and seq as text, never as lossy numbers). */
export interface TransferRow {
  id: string;
  seq: string;
  kind: TransferKind;
  debit_account_id: string;
  credit_account_id: string;
  amount: string;
  pending_id: string | null;
  code: string;
  request_id: string | null;
  metadata: JsonObject | null;
  timeout_seconds: number | null;
  expires_at: Date | string | null;
  created_at: Date | string;
}

/** Column list producing a TransferRow from `ledger_transfers t`. */
export const TRANSFER_COLUMNS = `t.id, t.seq::text AS seq, t.kind, t.debit_account_id, t.credit_account_id,
  t.amount::text AS amount, t.pending_id, t.code, t.request_id, t.metadata, t.timeout_seconds, t.expires_at,
  t.created_at`;

/** The same row as one jsonb value, for queries that return several kinds of rows at once. */
export const TRANSFER_JSON = `jsonb_build_object('id', t.id, 'seq', t.seq::text, 'kind', t.kind,
  'debit_account_id', t.debit_account_id, 'credit_account_id', t.credit_account_id, 'amount', t.amount::text,
  'pending_id', t.pending_id, 'code', t.code, 'request_id', t.request_id, 'metadata', t.metadata,
  'timeout_seconds', t.timeout_seconds, 'expires_at', t.expires_at, 'created_at', t.created_at)`;

export function rowToTransfer(row: TransferRow): Transfer {
  return {
    id: row.id,
    seq: BigInt(row.seq),
    kind: row.kind,
    debitAccountId: row.debit_account_id,
    creditAccountId: row.credit_account_id,
    amount: BigInt(row.amount),
    pendingId: row.pending_id,
    code: row.code,
    requestId: row.request_id,
    metadata: row.metadata,
    timeoutSeconds: row.timeout_seconds,
    expiresAt: row.expires_at === null ? null : new Date(row.expires_at),
    createdAt: new Date(row.created_at),
  };
}

/** A TransferRecord as one element of a jsonb_to_recordset batch (amounts as strings). */
export function recordToJson(record: TransferRecord): Record<string, unknown> {
  return {
    id: record.id,
    kind: record.kind,
    debit_account_id: record.debitAccountId,
    credit_account_id: record.creditAccountId,
    amount: record.amount.toString(),
    pending_id: record.pendingId,
    code: record.code,
    request_id: record.requestId,
    metadata: record.metadata,
    timeout_seconds: record.timeoutSeconds,
    expires_at: record.expiresAt?.toISOString() ?? null,
  };
}
