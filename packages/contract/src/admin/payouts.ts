import { z } from "zod";
import { prefixedId } from "../ids.js";
import { usdAmount, usdUnitsField } from "../money.js";
import { pageOf, timestamp } from "../wire.js";

/** Where a payout stands: pending → processing → paid, or cancelled from pending or processing. */
export const PAYOUT_STATUSES = ["pending", "processing", "paid", "cancelled"] as const;

export type PayoutStatus = (typeof PAYOUT_STATUSES)[number];

/** `POST /v1/admin/payouts/run` (alias `run-mock`): a payout for every developer with at least `threshold_usd`. */
export const payoutRunBody = z.object({
  threshold_usd: usdUnitsField("threshold_usd"),
});

export type PayoutRunRequest = z.input<typeof payoutRunBody>;

const note = z.string().trim().min(1).max(500, { error: "must be at most 500 characters" });

/** `POST /v1/admin/payouts/:id/approve`: pending → processing; the body may be left out. */
export const payoutApproveBody = z.object({ note: note.optional() }).default({});

/** `POST /v1/admin/payouts/:id/cancel`: releases the hold; the body may be left out. */
export const payoutCancelBody = z.object({ reason: note.optional() }).default({});

export const payoutParams = z.object({
  id: z.string().regex(prefixedId("po"), { error: "not a payout id (po_…)" }),
});

/** `GET /v1/admin/payouts` query: newest first. */
export const payoutListQuery = z.object({
  status: z.enum(PAYOUT_STATUSES).optional(),
  developer_id: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export const payoutSchema = z.object({
  id: z.string(),
  developer_id: z.string(),
  run_id: z.string(),
  status: z.enum(PAYOUT_STATUSES),
  amount_usd: usdAmount,
  threshold_usd: usdAmount,
  hold_transfer_id: z.string(),
  approval_note: z.string().nullable(),
  cancel_reason: z.string().nullable(),
  created_at: timestamp,
  updated_at: timestamp,
  approved_at: timestamp.nullable(),
  paid_at: timestamp.nullable(),
  cancelled_at: timestamp.nullable(),
});

export type Payout = z.output<typeof payoutSchema>;

export const payoutPageSchema = pageOf(payoutSchema);

/** A run: the payouts it created and the developers it skipped, with why. */
export const payoutRunSchema = z.object({
  run_id: z.string(),
  folded_deltas: z.number().int(),
  created: z.array(payoutSchema),
  skipped: z.array(z.object({ developer_id: z.string(), reason: z.string() })),
});

export type PayoutRun = z.output<typeof payoutRunSchema>;
