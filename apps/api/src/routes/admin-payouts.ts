import { approvePayout, cancelPayout, getPayout, listPayouts, markPayoutPaid, runPayouts } from "@modelfaucet/billing";
import { usdUnitsSchema } from "@modelfaucet/core";
import type { Database } from "@modelfaucet/db";
import { requireStaticToken } from "@modelfaucet/server-kit";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { appendAuditEntry } from "../audit-log.js";
import { payoutToWire } from "../payouts/payout-to-wire.js";

const runBody = z.object({
  threshold_usd: usdUnitsSchema({ field: "threshold_usd" }),
});

const note = z.string().trim().min(1).max(500, { error: "must be at most 500 characters" });
const approveBody = z.object({ note: note.optional() }).default({});
const cancelBody = z.object({ reason: note.optional() }).default({});

const payoutParams = z.object({
  id: z.string().regex(/^po_[A-Za-z0-9_]{1,64}$/, { error: "not a payout id (po_…)" }),
});

const listQuery = z.object({
  status: z.enum(["pending", "processing", "paid", "cancelled"]).optional(),
  developer_id: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

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
  const money = { db, audit: appendAuditEntry };

  for (const path of ["/v1/admin/payouts/run", "/v1/admin/payouts/run-mock"]) {
    app.post(path, async (request) => {
      const { threshold_usd: thresholdUnits } = runBody.parse(request.body);
      const result = await runPayouts(money, { thresholdUnits, requestId: request.id });
      return {
        run_id: result.runId,
        folded_deltas: result.folded,
        created: result.created.map(payoutToWire),
        skipped: result.skipped.map((skip) => ({ developer_id: skip.developerId, reason: skip.reason })),
      };
    });
  }

  app.post("/v1/admin/payouts/:id/approve", async (request) => {
    const { id } = payoutParams.parse(request.params);
    const body = approveBody.parse(request.body ?? undefined);
    const input = { payoutId: id, requestId: request.id, note: body.note ?? null };
    return payoutToWire(await approvePayout(money, input));
  });

  app.post("/v1/admin/payouts/:id/mark-paid", async (request) => {
    const { id } = payoutParams.parse(request.params);
    return payoutToWire(await markPayoutPaid(money, { payoutId: id, requestId: request.id }));
  });

  app.post("/v1/admin/payouts/:id/cancel", async (request) => {
    const { id } = payoutParams.parse(request.params);
    const body = cancelBody.parse(request.body ?? undefined);
    const input = { payoutId: id, requestId: request.id, reason: body.reason ?? null };
    return payoutToWire(await cancelPayout(money, input));
  });

  app.get("/v1/admin/payouts", async (request) => {
    const query = listQuery.parse(request.query);
    const { payouts, nextCursor } = await listPayouts(db, {
      status: query.status,
      developerId: query.developer_id,
      limit: query.limit,
      cursor: query.cursor,
    });
    return { items: payouts.map(payoutToWire), next_cursor: nextCursor };
  });

  app.get("/v1/admin/payouts/:id", async (request) => {
    const { id } = payoutParams.parse(request.params);
    return payoutToWire(await getPayout(db, id));
  });
}
