import { z } from "zod";
import { idempotencyKeySchema } from "../idempotency-key.js";
import { usdAmount, usdUnitsField } from "../money.js";
import { walletBalancesSchema } from "../wallet.js";

export const ADJUSTMENT_KINDS = ["adjustment", "refund", "chargeback"] as const;
export const ADJUSTMENT_DIRECTIONS = ["debit", "credit"] as const;

/**
 * `POST /v1/admin/wallets/:id/adjustments`: an operator's correction of a
 * wallet, one ledger transfer against external funding. A debit beyond the
 * available balance is 402; the same `idempotency_key` with other content is
 * 409.
 */
export const adjustmentBody = z.object({
  kind: z.enum(ADJUSTMENT_KINDS, { error: "kind must be adjustment, refund or chargeback" }),
  direction: z.enum(ADJUSTMENT_DIRECTIONS, { error: "direction must be debit or credit" }),
  amount_usd: usdUnitsField("amount_usd").refine((units) => units > 0n, {
    error: "amount_usd must be > 0",
  }),
  reason: z
    .string({ error: "reason is required" })
    .trim()
    .min(1, { error: "reason is required" })
    .max(500, { error: "reason must be at most 500 characters" }),
  idempotency_key: idempotencyKeySchema.optional(),
});

export type AdjustmentRequest = z.input<typeof adjustmentBody>;
export type AdjustmentBody = z.output<typeof adjustmentBody>;

/** The wallet after the adjustment; `applied` is false when a retry found it done. */
export const adjustmentSchema = walletBalancesSchema.extend({
  kind: z.enum(ADJUSTMENT_KINDS),
  direction: z.enum(ADJUSTMENT_DIRECTIONS),
  amount_usd: usdAmount,
  applied: z.boolean(),
});

export type Adjustment = z.output<typeof adjustmentSchema>;
