import { AppError, formatUsd, usdUnitsSchema } from "@modelfaucet/core";
import { newId } from "@modelfaucet/crypto";
import type { Database, Queryable } from "@modelfaucet/db";
import { createTransfer, PLATFORM_ACCOUNTS, userAccountId, type CreateTransferResult } from "@modelfaucet/ledger";
import { requireStaticToken } from "@modelfaucet/server-kit";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { writeAdminAudit } from "../admin-audit-log.js";
import { idempotencyKeyOf, idempotencyKeySchema } from "../idempotency-key.js";
import { walletBalance } from "../wallets.js";

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
type AdjustmentBody = z.infer<typeof adjustmentBody>;

const walletParams = z.object({
  id: z.string().regex(/^usr_[A-Za-z0-9_]{1,64}$/, { error: "not a wallet id (usr_…)" }),
});

export interface AdminAdjustmentsOptions {
  db: Database;
  adminToken: string | undefined;
}

/**
 * `POST /v1/admin/wallets/:id/adjustments` (ADMIN_TOKEN): an operator's
 * correction of a wallet, as ONE ledger transfer against external funding.
 *
 * - `credit`: platform:external_funding → user:<id>.
 * - `debit`: user:<id> → platform:external_funding, never below zero: when
 *   the wallet's available balance (posted − held) is short, the ledger
 *   refuses and the answer is **402 `insufficient_balance`**, nothing written.
 *   (Stripe refunds book a shortfall as a receivable; an operator's manual
 *   debit is refused instead, so they decide what to do with the difference.)
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

  app.post("/v1/admin/wallets/:id/adjustments", async (request) => {
    const { id: endUserId } = walletParams.parse(request.params);
    const body = adjustmentBody.parse(request.body);
    const key = idempotencyKeyOf(request, body.idempotency_key);
    const transferId = key ? `adjustment:${endUserId}:${key}` : `adjustment:${newId("adj")}`;

    const outcome = await applyOnce(() =>
      db.transaction((tx) => applyAdjustment(tx, { endUserId, transferId, body, requestId: request.id })),
    );
    if (outcome.result === "account_not_found") throw new AppError("not_found", "No wallet with this id.");
    if (outcome.result === "exists_with_different_fields") {
      throw new AppError("conflict", "This idempotency key was already used for a different adjustment.");
    }
    if (outcome.result === "exceeds_credits") {
      const { available } = await walletBalance(db, endUserId);
      throw new AppError(
        "insufficient_balance",
        `The wallet's available balance is ${formatUsd(available)} USD; a debit of ` +
          `${formatUsd(body.amount_usd)} USD would take it below zero. Nothing was debited.`,
      );
    }
    if (outcome.result !== "created" && outcome.result !== "exists") {
      throw new Error(`ledger refused the adjustment: ${outcome.result}`);
    }
    const { balance, held, available } = await walletBalance(db, endUserId);
    return {
      wallet_id: endUserId,
      transfer_id: transferId,
      kind: body.kind,
      direction: body.direction,
      amount_usd: formatUsd(body.amount_usd),
      applied: outcome.result === "created",
      balance_usd: formatUsd(balance),
      held_usd: formatUsd(held),
      available_usd: formatUsd(available),
    };
  });
}

interface ApplyInput {
  endUserId: string;
  transferId: string;
  body: AdjustmentBody;
  requestId: string;
}

/** The transfer and, when it moved money now, its audit entry — in the caller's transaction. */
async function applyAdjustment(tx: Queryable, { endUserId, transferId, body, requestId }: ApplyInput) {
  const wallet = userAccountId(endUserId);
  const [debit, credit] =
    body.direction === "credit"
      ? [PLATFORM_ACCOUNTS.externalFunding, wallet]
      : [wallet, PLATFORM_ACCOUNTS.externalFunding];
  const outcome = await createTransfer(tx, {
    kind: "posted",
    id: transferId,
    debitAccountId: debit,
    creditAccountId: credit,
    amount: body.amount_usd,
    code: body.kind,
    metadata: { direction: body.direction, reason: body.reason },
  });
  if (outcome.result === "created") {
    const { rows } = await tx.query<{ developer_id: string }>(
      `SELECT a.developer_id FROM end_users e JOIN apps a ON a.id = e.app_id WHERE e.id = $1`,
      [endUserId],
    );
    await writeAdminAudit(tx, {
      action: `wallet.${body.kind}_${body.direction}`,
      resourceType: "wallet",
      resourceId: endUserId,
      requestId,
      developerId: rows[0]?.developer_id ?? null,
      details: {
        kind: body.kind,
        direction: body.direction,
        amount_usd: formatUsd(body.amount_usd),
        reason: body.reason,
        transfer_id: transferId,
      },
    });
  }
  return outcome;
}

/**
 * Two requests with the same key at once: the ledger, inside our transaction,
 * reports the loser's lost id race as a retryable `conflict`. Run it once
 * more; its fresh read then sees the winner and answers `exists` (or a real
 * conflict when the content differs).
 */
async function applyOnce(run: () => Promise<CreateTransferResult>): Promise<CreateTransferResult> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof AppError && error.code === "conflict" && error.retryable) return run();
    throw error;
  }
}
