import { z } from "zod";
import { usdAmount } from "../money.js";

/**
 * `GET /v1/admin/reconciliation/ledger`: every stored balance recomputed
 * from the transfers. `ok` holds when nothing below is listed and posted and
 * pending totals each balance.
 */
export const reconciliationSchema = z.object({
  ok: z.boolean(),
  accounts: z.number().int(),
  transfers: z.number().int(),
  totals: z.object({
    debits_posted_usd: usdAmount,
    credits_posted_usd: usdAmount,
    debits_pending_usd: usdAmount,
    credits_pending_usd: usdAmount,
  }),
  mismatches: z.array(
    z.object({
      account_id: z.string(),
      /** The account's kind; null when the mismatch is on an account the transfers name but no row holds. */
      kind: z.string().nullable(),
      column: z.string(),
      stored_usd: usdAmount,
      deferred_usd: usdAmount,
      expected_usd: usdAmount,
    }),
  ),
  negative: z.array(z.object({ account_id: z.string(), kind: z.string(), available_usd: usdAmount })),
  pending_problems: z.array(z.object({ pending_id: z.string(), problem: z.string() })),
});

export type Reconciliation = z.output<typeof reconciliationSchema>;
