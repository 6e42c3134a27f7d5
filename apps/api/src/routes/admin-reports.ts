import { Readable } from "node:stream";
import { DEFAULT_REPORT_DAYS, MAX_REPORT_DAYS, reportRangeQuery } from "@modelfaucet/contract";
import type { Database } from "@modelfaucet/db";
import { requireStaticToken, type RouteContract, withContract } from "@modelfaucet/server-kit";
import { payoutsReport, revenueReport, usageReport, type DateRange } from "@modelfaucet/store";
import type { FastifyInstance, FastifyReply } from "fastify";
import { resolveDateRange } from "../reports/date-range.js";

export interface AdminReportsOptions {
  db: Database;
  adminToken: string | undefined;
}

type Report = (db: Database, range: DateRange) => AsyncGenerator<string>;

const REPORTS: Record<string, Report> = {
  usage: usageReport,
  revenue: revenueReport,
  payouts: payoutsReport,
};

const reportRoute = (name: string) =>
  ({
    summary: `The ${name} report as CSV (RFC 4180, UTF-8, formula-injection-safe), streamed`,
    description:
      "`from` (inclusive) and `to` (exclusive) are dates (midnight UTC) or ISO instants; `to` defaults to now, " +
      `\`from\` to ${DEFAULT_REPORT_DAYS} days before it; at most ${MAX_REPORT_DAYS} days per report.`,
    auth: "admin",
    query: reportRangeQuery,
    textType: "text/csv",
  }) satisfies RouteContract;

/**
 * `GET /v1/admin/reports/{usage,revenue,payouts}.csv?from=&to=` (ADMIN_TOKEN):
 * RFC 4180 CSV in UTF-8, formula-neutralized, streamed batch by batch with
 * backpressure — the response is never built in memory, and a client that
 * stops reading stops the queries. `from` (inclusive) and `to` (exclusive)
 * are dates (`2026-01-31`, UTC midnight) or ISO instants with an offset;
 * `to` defaults to now, `from` to 30 days before `to`.
 * A failure after the first bytes aborts the connection, so a truncated file
 * never looks complete.
 */
export async function adminReportsRoutes(app: FastifyInstance, { db, adminToken }: AdminReportsOptions) {
  app.addHook("onRequest", requireStaticToken(adminToken, "ADMIN_TOKEN"));

  for (const [name, report] of Object.entries(REPORTS)) {
    app.get(`/v1/admin/reports/${name}.csv`, withContract(reportRoute(name)), async (request, reply) => {
      const range = resolveDateRange(request.query);
      return sendCsv(reply, `${name}_${day(range.from)}_${day(range.to)}.csv`, report(db, range));
    });
  }
}

function sendCsv(reply: FastifyReply, fileName: string, chunks: AsyncGenerator<string>): FastifyReply {
  return reply
    .header("content-type", "text/csv; charset=utf-8")
    .header("content-disposition", `attachment; filename="${fileName}"`)
    .header("cache-control", "no-store")
    .send(Readable.from(chunks, { objectMode: false }));
}

const day = (date: Date) => date.toISOString().slice(0, 10);
