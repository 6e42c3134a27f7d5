import { formatUsd } from "@modelfaucet/core";
import { LIMITS } from "@modelfaucet/ledger";

/** Where a payout stands; the database allows only pending → processing | cancelled and processing → paid | cancelled. */
export type PayoutStatus = "pending" | "processing" | "paid" | "cancelled";

/** A row of `payouts` (migration 0009). Amounts: units of 1e-8 USD, as numeric text. */
export interface PayoutRow {
  id: string;
  developer_id: string;
  run_id: string;
  status: PayoutStatus;
  amount_units: string;
  threshold_units: string;
  hold_transfer_id: string;
  approval_note: string | null;
  cancel_reason: string | null;
  created_at: Date;
  updated_at: Date;
  approved_at: Date | null;
  paid_at: Date | null;
  cancelled_at: Date | null;
}

export const PAYOUT_COLUMNS = `id, developer_id, run_id, status, amount_units::text AS amount_units,
  threshold_units::text AS threshold_units, hold_transfer_id, approval_note, cancel_reason,
  created_at, updated_at, approved_at, paid_at, cancelled_at`;

/**
 * Ledger transfer ids of a payout, derived from its id so that each step can
 * happen at most once: the hold (developer → payouts_clearing), its post or
 * its void, and the transfer that sends the paid money out
 * (payouts_clearing → external_funding).
 */
export const payoutTransferIds = (payoutId: string) => ({
  hold: `payout_hold:${payoutId}`,
  post: `payout_post:${payoutId}`,
  void: `payout_void:${payoutId}`,
  send: `payout_send:${payoutId}`,
});

/**
 * How long a payout hold lasts: the ledger's maximum (30 days). After that the
 * hold sweeper may release it; a payout whose hold was released can no longer
 * be paid (mark-paid answers 409) and is cancelled and run again.
 */
export const PAYOUT_HOLD_SECONDS = LIMITS.maxHoldSeconds;

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** The wire shape of a payout. */
export function payoutToWire(row: PayoutRow) {
  return {
    id: row.id,
    developer_id: row.developer_id,
    run_id: row.run_id,
    status: row.status,
    amount_usd: formatUsd(BigInt(row.amount_units)),
    threshold_usd: formatUsd(BigInt(row.threshold_units)),
    hold_transfer_id: row.hold_transfer_id,
    approval_note: row.approval_note,
    cancel_reason: row.cancel_reason,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    approved_at: iso(row.approved_at),
    paid_at: iso(row.paid_at),
    cancelled_at: iso(row.cancelled_at),
  };
}

export type PayoutWire = ReturnType<typeof payoutToWire>;
