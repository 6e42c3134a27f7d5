import { adjustWallet, walletBalance } from "@modelfaucet/billing";
import { adjustmentBody, adjustmentSchema, walletParams, type Adjustment } from "@modelfaucet/contract";
import { formatUsd } from "@modelfaucet/core";
import type { Database } from "@modelfaucet/db";
import { requireStaticToken, type RouteContract, withContract } from "@modelfaucet/server-kit";
import type { FastifyInstance } from "fastify";
import { balancesToWire } from "../balances-to-wire.js";
import { idempotencyKeyOf } from "../idempotency-key.js";

const adjustRoute = {
  summary: "An operator's correction of a wallet: one ledger transfer against external funding",
  description:
    "A debit beyond the available balance is 402 `insufficient_balance`, nothing written. With " +
    "`idempotency_key` (or the Idempotency-Key header) a retry applies once (`applied: false`); the same key " +
    "with other content is 409 `conflict`.",
  auth: "admin",
  params: walletParams,
  body: adjustmentBody,
  response: adjustmentSchema,
} satisfies RouteContract;

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

  app.post("/v1/admin/wallets/:id/adjustments", withContract(adjustRoute), async (request): Promise<Adjustment> => {
    const { id: endUserId } = adjustRoute.params.parse(request.params);
    const body = adjustRoute.body.parse(request.body);
    const adjustment = await adjustWallet(db, {
      endUserId,
      kind: body.kind,
      direction: body.direction,
      amountUnits: body.amount_usd,
      reason: body.reason,
      idempotencyKey: idempotencyKeyOf(request, body.idempotency_key),
      requestId: request.id,
    });
    return {
      wallet_id: endUserId,
      transfer_id: adjustment.transferId,
      kind: body.kind,
      direction: body.direction,
      amount_usd: formatUsd(body.amount_usd),
      applied: adjustment.applied,
      ...balancesToWire(await walletBalance(db, endUserId)),
    };
  });
}
