import { creditTestBalance, walletBalance } from "@modelfaucet/billing";
import {
  creditTestBalanceBody,
  creditTestBalanceSchema,
  reconciliationSchema,
  walletParams,
  type CreditTestBalance,
} from "@modelfaucet/contract";
import { formatUsd } from "@modelfaucet/core";
import type { Database } from "@modelfaucet/db";
import { reconcile } from "@modelfaucet/ledger";
import { requireStaticToken, type RouteContract, withContract } from "@modelfaucet/server-kit";
import type { FastifyInstance } from "fastify";
import { balancesToWire } from "../balances-to-wire.js";
import { idempotencyKeyOf } from "../idempotency-key.js";

const creditRoute = {
  summary: "Credit a wallet from external funding, for a demo or a test",
  description:
    "With `idempotency_key` (or the Idempotency-Key header) a retry credits once and answers `credited: false`.",
  auth: "admin",
  params: walletParams,
  body: creditTestBalanceBody,
  response: creditTestBalanceSchema,
} satisfies RouteContract;

const reconcileRoute = {
  summary: "Recompute every ledger balance from the transfers and report any difference",
  auth: "admin",
  response: reconciliationSchema,
} satisfies RouteContract;

export interface AdminMoneyOptions {
  db: Database;
  adminToken: string | undefined;
}

/** Operator money routes (ADMIN_TOKEN): test credits and the ledger reconciliation. */
export async function adminMoneyRoutes(app: FastifyInstance, { db, adminToken }: AdminMoneyOptions) {
  app.addHook("onRequest", requireStaticToken(adminToken, "ADMIN_TOKEN"));

  /**
   * Credits a wallet from external funding, e.g. for a demo or a test. With an
   * `idempotency_key` (or `Idempotency-Key` header) a retry credits once.
   */
  const creditPath = "/v1/admin/wallets/:id/credit-test-balance";
  app.post(creditPath, withContract(creditRoute), async (request): Promise<CreditTestBalance> => {
    const { id: endUserId } = creditRoute.params.parse(request.params);
    const body = creditRoute.body.parse(request.body);
    const credit = await creditTestBalance(db, {
      endUserId,
      amountUnits: body.amount_usd,
      idempotencyKey: idempotencyKeyOf(request, body.idempotency_key),
      requestId: request.id,
    });
    return {
      wallet_id: endUserId,
      transfer_id: credit.transferId,
      credited: credit.credited,
      ...balancesToWire(await walletBalance(db, endUserId)),
    };
  });

  /** Recomputes every balance from the transfers and reports any difference. */
  app.get("/v1/admin/reconciliation/ledger", withContract(reconcileRoute), async () => {
    const report = await reconcile(db);
    const totals = Object.fromEntries(Object.entries(report.totals).map(([name, units]) => [name, formatUsd(units)]));
    return {
      ok: report.ok,
      accounts: report.accounts,
      transfers: report.transfers,
      totals: {
        debits_posted_usd: totals.debitsPosted,
        credits_posted_usd: totals.creditsPosted,
        debits_pending_usd: totals.debitsPending,
        credits_pending_usd: totals.creditsPending,
      },
      mismatches: report.mismatches.map((m) => ({
        account_id: m.accountId,
        kind: m.kind,
        column: m.column,
        stored_usd: formatUsd(m.stored),
        deferred_usd: formatUsd(m.deferred),
        expected_usd: formatUsd(m.expected),
      })),
      negative: report.negative.map((n) => ({
        account_id: n.accountId,
        kind: n.kind,
        available_usd: formatUsd(n.available),
      })),
      pending_problems: report.pendingProblems.map((p) => ({ pending_id: p.pendingId, problem: p.problem })),
    };
  });
}
