// A local usage report. Invariant: a ticket is charged its fee once or not at
// all — its report's usage event commits in the statement that posts the
// ticket's hold (usage settlement, ledger-billing.ts), the event's id is the
// ticket's, and the ledger resolves a hold at most once — so a replayed,
// concurrent or late report can never charge twice.
import type { LocalUsageReport } from "@modelfaucet/contract";
import { AppError, rateUsage } from "@modelfaucet/core";
import { hashToken } from "@modelfaucet/crypto";
import type { Database } from "@modelfaucet/db";
import { findLocalTicket, type LocalTicketRecord } from "@modelfaucet/store";
import type { Billing, UsageRecord } from "../usage/billing.js";

/** What a report did: `settled` it now, or it is a replay (`already_settled`) that changed nothing; the price charged. */
export interface LocalReportOutcome {
  result: "settled" | "already_settled";
  priceUnits: bigint;
}

/** Catalog prices play no part in a local charge: only the feature's fee does. */
const NO_PRICE = { inputUnitsPerMTok: 0n, cachedInputUnitsPerMTok: 0n, outputUnitsPerMTok: 0n };

/**
 * Settles the ticket `token` with its bridge's report: a usage event (route
 * `local`, the tokens as reported, their source) and the ticket's fee split
 * between developer and platform like any margin. A replay of the settling
 * `request_id` answers `already_settled`; another request_id on a settled
 * ticket is 409 `conflict`. An unknown ticket, or one past its grace period
 * (or released by the worker), is 401 `unauthorized`.
 */
export async function settleLocalReport(
  db: Database,
  billing: Billing,
  token: string,
  report: LocalUsageReport,
): Promise<LocalReportOutcome> {
  const tokenHash = hashToken(token);
  const ticket = await findLocalTicket(db, tokenHash);
  if (!ticket) throw new AppError("unauthorized", "Unknown local ticket: get one from POST /v1/local/tickets.");
  const earlier = replayOutcome(ticket, report);
  if (earlier) return earlier;
  const record = usageRecord(ticket, report);
  try {
    // `spend`: the fee the ticket may have reserved on spending budgets at issue (nothing to resolve if it did not).
    const spend = { units: ticket.feeUnits, tokens: 0 };
    await billing.settle({ usageEventId: ticket.usageEventId, heldUnits: ticket.feeUnits, spend }, record);
  } catch (error) {
    // A concurrent report settled it first, or the worker released it meanwhile: the ticket now says which.
    const now = await findLocalTicket(db, tokenHash);
    const settled = now && replayOutcome(now, report);
    if (settled) return settled;
    throw error;
  }
  return { result: "settled", priceUnits: record.charge.retail };
}

/** The answer when the ticket is no longer open: a replay, a conflict, or too late. Undefined while it is open. */
function replayOutcome(ticket: LocalTicketRecord, report: LocalUsageReport): LocalReportOutcome | undefined {
  if (ticket.settled) {
    if (ticket.settled.requestId !== report.request_id) {
      throw new AppError("conflict", "This local ticket was settled by another request_id; a ticket is for one call.");
    }
    return { result: "already_settled", priceUnits: ticket.settled.retailUnits };
  }
  if (ticket.graceOver || ticket.closedAs !== null) {
    throw new AppError(
      "unauthorized",
      `This local ticket expired at ${ticket.expiresAt.toISOString()} and its grace period is over; its fee was not charged.`,
    );
  }
  return undefined;
}

function usageRecord(ticket: LocalTicketRecord, report: LocalUsageReport): UsageRecord {
  const usage = { inputTokens: report.input_tokens, cachedInputTokens: 0, outputTokens: report.output_tokens };
  const pricing = {
    markupBps: 0,
    channelShareBps: ticket.channelShareBps,
    byokGatewayFeeUnits: 0n,
    localFeeUnits: ticket.feeUnits,
  };
  return {
    requestId: report.request_id,
    session: {
      sessionId: ticket.sessionId,
      appId: ticket.appId,
      developerId: ticket.developerId,
      endUserId: ticket.endUserId,
    },
    featureKey: ticket.featureKey,
    routeMode: "local",
    provider: localRuntimeOf(report.model),
    model: report.model,
    // The report does not say whether the call streamed; the bridge meters both alike.
    stream: false,
    outcome: "completed",
    usageSource: report.usage_source,
    usage,
    charge: rateUsage({ usage, price: NO_PRICE, pricing, routeMode: "local" }),
    attempts: [],
  };
}

/** A bridge model id is `<runtime>/<the local server's id>`: the runtime stands as the provider. */
function localRuntimeOf(model: string): string {
  const slash = model.indexOf("/");
  return slash > 0 ? model.slice(0, slash) : "local";
}
