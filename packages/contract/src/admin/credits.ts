import { z } from "zod";
import { usdUnitsField } from "../money.js";
import { idempotencyKeySchema } from "../idempotency-key.js";
import { walletBalancesSchema } from "../wallet.js";

/**
 * `POST /v1/admin/wallets/:id/credit-test-balance`: credits a wallet from
 * external funding. With an `idempotency_key` (or `Idempotency-Key` header)
 * a retry credits once.
 */
export const creditTestBalanceBody = z.object({
  amount_usd: usdUnitsField("amount_usd").refine((units) => units > 0n, {
    error: "amount_usd must be > 0",
  }),
  idempotency_key: idempotencyKeySchema.optional(),
});

export type CreditTestBalanceRequest = z.input<typeof creditTestBalanceBody>;

/** The wallet after the credit; `credited` is false when a retry found it done. */
export const creditTestBalanceSchema = walletBalancesSchema.extend({ credited: z.boolean() });

export type CreditTestBalance = z.output<typeof creditTestBalanceSchema>;
