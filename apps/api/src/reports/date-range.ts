import { DEFAULT_REPORT_DAYS, MAX_REPORT_DAYS, reportRangeQuery } from "@modelfaucet/contract";
import { AppError } from "@modelfaucet/core";
import type { DateRange } from "@modelfaucet/store";

const DAY_MS = 86_400_000;

/**
 * The period to report: `to` defaults to — and is capped at — the moment the
 * report starts, so rows written while it streams do not shift the batches;
 * `from` defaults to DEFAULT_REPORT_DAYS before `to`.
 */
export function resolveDateRange(query: unknown, now: Date = new Date()): DateRange {
  const parsed = reportRangeQuery.parse(query);
  const to = parsed.to && parsed.to < now ? parsed.to : now;
  const earliest = new Date(to.getTime() - MAX_REPORT_DAYS * DAY_MS);
  const from = parsed.from ?? new Date(to.getTime() - DEFAULT_REPORT_DAYS * DAY_MS);
  if (from < earliest) throw new AppError("invalid_request", `from: a report covers at most ${MAX_REPORT_DAYS} days`);
  return { from, to };
}
