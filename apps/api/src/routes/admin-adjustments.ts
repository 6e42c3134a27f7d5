import { adjustWallet, walletBalance } from "@modelfaucet/billing";
import { formatUsd, usdUnitsSchema } from "@modelfaucet/core";
import type { Database } from "@modelfaucet/db";
import { requireStaticToken } from "@modelfaucet/server-kit";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { appendAuditEntry } from "../audit-log.js";
import { idempotencyKeyOf, idempotencyKeySchema } from "../idempotency-key.js";

const adjustmentBody = z.object({
  kind: z.enum(["adjustment", "refund", "chargeback"], { error: "kind must be adjustment, refund or chargeback" }),
  direction: z.enum(["debit", "credit"], { error: "direction must be debit or credit" }),
  amount_usd: usdUnitsSchema({ field: "amount_usd" }).refine((units) => units > 0n, {
    error: "amount_usd must be > 0",
  }),
  reason: z
    .string({ error: "reason is required" })
    .trim()
    .min(1, { error: "reason is required" })
    .max(500, { error: "reason must be at most 500 characters" }),
  idempotency_key: idempotencyKeySchema.optional(),
});

const walletParams = z.object({
  id: z.string().regex(/^usr_[A-Za-z0-9_]{1,64}$/, { error: "not a wallet id (usr_…)" }),
});

export interface AdminAdjustmentsOptions {
  db: Database;
  adminToken: string | undefined;
}

/**
 * `POST /v1/admin/wallets/:id/adjustments` (ADMIN_TOKEN): an operator's
 * correction of a wallet, as ONE ledger transfer against external funding
 * (@modelfaucet/billing's adjustWallet).
 *
 * - `credit`: platform:external_funding → user:<id>.
 * - `debit`: user:<id> → platform:external_funding, never below zero: when
 *   the wallet's available balance (posted − held) is short, the answer is
 *   **402 `insufficient_balance`**, nothing written.
 *
 * `kind` becomes the transfer's code, `reason` its metadata. An
 * `idempotency_key` (or `Idempotency-Key` header) names the transfer
 * (`adjustment:<wallet>:<key>`): a retry applies once and answers
 * `applied: false`; the same key with different content (kind, direction,
 * amount or reason) is refused with 409 `conflict`. The request id is kept in
 * the audit entry, not in the transfer, so a retry under a new request id is
 * still the same transfer.
 */
export async function adminAdjustmentsRoutes(app: FastifyInstance, { db, adminToken }: AdminAdjustmentsOptions) {
  app.addHook("onRequest", requireStaticToken(adminToken, "ADMIN_TOKEN"));
  const money = { db, audit: appendAuditEntry };

  app.post("/v1/admin/wallets/:id/adjustments", async (request) => {
    const { id: endUserId } = walletParams.parse(request.params);
    const body = adjustmentBody.parse(request.body);
    const adjustment = await adjustWallet(money, {
      endUserId,
      kind: body.kind,
      direction: body.direction,
      amountUnits: body.amount_usd,
      reason: body.reason,
      idempotencyKey: idempotencyKeyOf(request, body.idempotency_key),
      requestId: request.id,
    });
    const { balance, held, available } = await walletBalance(db, endUserId);
    return {
      wallet_id: endUserId,
      transfer_id: adjustment.transferId,
      kind: body.kind,
      direction: body.direction,
      amount_usd: formatUsd(body.amount_usd),
      applied: adjustment.applied,
      balance_usd: formatUsd(balance),
      held_usd: formatUsd(held),
      available_usd: formatUsd(available),
    };
  });
}
