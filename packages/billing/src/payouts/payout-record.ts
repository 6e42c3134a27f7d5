import type { PayoutStatus } from "@modelfaucet/contract";
import { LIMITS } from "@modelfaucet/ledger";

/** A row of `payouts` (migration 0009). Amounts: units of 1e-8 USD, as numeric text. */
export interface PayoutRow {
  id: string;
  developer_id: string;
  run_id: string;
  /** The database allows only pending → processing | cancelled and processing → paid | cancelled. */
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
