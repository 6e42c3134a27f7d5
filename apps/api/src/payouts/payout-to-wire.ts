import { formatUsd } from "@modelfaucet/core";
import type { PayoutRow } from "@modelfaucet/billing";

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
