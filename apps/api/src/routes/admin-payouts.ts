import { approvePayout, cancelPayout, getPayout, listPayouts, markPayoutPaid, runPayouts } from "@modelfaucet/billing";
import {
  payoutApproveBody,
  payoutCancelBody,
  payoutListQuery,
  payoutPageSchema,
  payoutParams,
  payoutRunBody,
  payoutRunSchema,
  payoutSchema,
} from "@modelfaucet/contract";
import type { Database } from "@modelfaucet/db";
import { requireStaticToken, type RouteContract, withContract } from "@modelfaucet/server-kit";
import type { FastifyInstance } from "fastify";
import { payoutToWire } from "../payouts/payout-to-wire.js";

const runRoute = {
  summary: "Run payouts: a pending payout for every developer whose balance is at least threshold_usd",
  description: "Folds the deferred developer credits first; one open payout per developer. `run-mock` is an alias.",
  auth: "admin",
  body: payoutRunBody,
  response: payoutRunSchema,
} satisfies RouteContract;

const approveRoute = {
  summary: "Approve a pending payout: → processing",
  auth: "admin",
  params: payoutParams,
  body: payoutApproveBody,
  response: payoutSchema,
} satisfies RouteContract;

const markPaidRoute = {
  summary: "Mark an approved payout paid: its hold is posted and the money sent out",
  auth: "admin",
  params: payoutParams,
  response: payoutSchema,
} satisfies RouteContract;

const cancelRoute = {
  summary: "Cancel a pending or processing payout: its hold is voided",
  auth: "admin",
  params: payoutParams,
  body: payoutCancelBody,
  response: payoutSchema,
} satisfies RouteContract;

const listRoute = {
  summary: "Payouts, newest first",
  auth: "admin",
  query: payoutListQuery,
  response: payoutPageSchema,
} satisfies RouteContract;

const getRoute = {
  summary: "One payout",
  auth: "admin",
  params: payoutParams,
  response: payoutSchema,
} satisfies RouteContract;

export interface AdminPayoutsOptions {
  db: Database;
  adminToken: string | undefined;
}

/**
 * Developer payouts (ADMIN_TOKEN). A payout goes pending → processing → paid,
 * or is cancelled from pending or processing; the database enforces this
 * (migration 0009), so a payout is never paid twice, even by concurrent
 * requests. Refused transitions (mark-paid before approve, twice, after
 * cancel; approve twice; …) answer 409 `conflict`. See @modelfaucet/billing's
 * payouts for the ledger side of each step.
 *
 * - `POST /v1/admin/payouts/run` (alias `run-mock`) `{threshold_usd}`
 * - `POST /v1/admin/payouts/:id/approve` `{note?}` → processing
 * - `POST /v1/admin/payouts/:id/mark-paid` → paid
 * - `POST /v1/admin/payouts/:id/cancel` `{reason?}` → cancelled
 * - `GET /v1/admin/payouts` `?status&developer_id&limit&cursor`, `GET /v1/admin/payouts/:id`
 */
export async function adminPayoutsRoutes(app: FastifyInstance, { db, adminToken }: AdminPayoutsOptions) {
  app.addHook("onRequest", requireStaticToken(adminToken, "ADMIN_TOKEN"));

  for (const path of ["/v1/admin/payouts/run", "/v1/admin/payouts/run-mock"]) {
    app.post(path, withContract(runRoute), async (request) => {
      const { threshold_usd: thresholdUnits } = runRoute.body.parse(request.body);
      const result = await runPayouts(db, { thresholdUnits, requestId: request.id });
      return {
        run_id: result.runId,
        folded_deltas: result.folded,
        created: result.created.map(payoutToWire),
        skipped: result.skipped.map((skip) => ({ developer_id: skip.developerId, reason: skip.reason })),
      };
    });
  }

  app.post("/v1/admin/payouts/:id/approve", withContract(approveRoute), async (request) => {
    const { id } = approveRoute.params.parse(request.params);
    const body = approveRoute.body.parse(request.body ?? undefined);
    const input = { payoutId: id, requestId: request.id, note: body.note ?? null };
    return payoutToWire(await approvePayout(db, input));
  });

  app.post("/v1/admin/payouts/:id/mark-paid", withContract(markPaidRoute), async (request) => {
    const { id } = markPaidRoute.params.parse(request.params);
    return payoutToWire(await markPayoutPaid(db, { payoutId: id, requestId: request.id }));
  });

  app.post("/v1/admin/payouts/:id/cancel", withContract(cancelRoute), async (request) => {
    const { id } = cancelRoute.params.parse(request.params);
    const body = cancelRoute.body.parse(request.body ?? undefined);
    const input = { payoutId: id, requestId: request.id, reason: body.reason ?? null };
    return payoutToWire(await cancelPayout(db, input));
  });

  app.get("/v1/admin/payouts", withContract(listRoute), async (request) => {
    const query = listRoute.query.parse(request.query);
    const { payouts, nextCursor } = await listPayouts(db, {
      status: query.status,
      developerId: query.developer_id,
      limit: query.limit,
      cursor: query.cursor,
    });
    return { items: payouts.map(payoutToWire), next_cursor: nextCursor };
  });

  app.get("/v1/admin/payouts/:id", withContract(getRoute), async (request) => {
    const { id } = getRoute.params.parse(request.params);
    return payoutToWire(await getPayout(db, id));
  });
}
