import { settleLocalReport, type Billing } from "@modelfaucet/billing";
import {
  LOCAL_TICKET_PATTERN,
  localUsageReportBody,
  localUsageReportResultSchema,
  type LocalUsageReportResult,
} from "@modelfaucet/contract";
import { AppError, formatUsd } from "@modelfaucet/core";
import type { Database } from "@modelfaucet/db";
import { bearerToken, type RouteContract, withContract } from "@modelfaucet/server-kit";
import type { FastifyInstance } from "fastify";

export interface LocalUsageReportOptions {
  db: Database;
  /** The billing that made the tickets' holds. */
  billing: Billing;
  graceSeconds: number;
}

/**
 * `POST /v1/usage/local-report` (the ticket as bearer): the Local Bridge's
 * report of one local call settles that call's ticket. No session: a report
 * queued on the user's machine lands after the session that asked for the
 * ticket has ended.
 */
export async function localUsageReportRoutes(app: FastifyInstance, options: LocalUsageReportOptions) {
  const { db, billing, graceSeconds } = options;
  const reportUsage = {
    summary: "The Local Bridge's report of one local call: token counts only, settling the call's ticket",
    description:
      "Strict: any field beyond the five (a prompt, messages, an answer) is 400. The ticket's fee is charged " +
      "once; a replay with the same `request_id` answers `already_settled` and changes nothing, another " +
      "`request_id` on a settled ticket is 409 `conflict`. An unknown ticket is 401 `unauthorized`, and so is " +
      `one reported more than ${graceSeconds} s after its \`expires_at\` (its fee is released, not charged).`,
    auth: "local_ticket",
    body: localUsageReportBody,
    response: localUsageReportResultSchema,
  } satisfies RouteContract;

  app.post("/v1/usage/local-report", withContract(reportUsage), async (request): Promise<LocalUsageReportResult> => {
    const ticket = bearerToken(request);
    if (ticket === undefined || !LOCAL_TICKET_PATTERN.test(ticket)) {
      throw new AppError("unauthorized", "Send the call's local ticket as `Authorization: Bearer <ticket>`.");
    }
    const report = reportUsage.body.parse(request.body);
    const outcome = await settleLocalReport(db, billing, ticket, report);
    return { request_id: report.request_id, result: outcome.result, price_usd: formatUsd(outcome.priceUnits) };
  });
}
