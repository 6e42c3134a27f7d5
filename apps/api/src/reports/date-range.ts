import { AppError } from "@modelfaucet/core";
import { z } from "zod";

/** A report's period: `from` inclusive, `to` exclusive. */
export interface DateRange {
  from: Date;
  to: Date;
}

/** Reports cover at most this long; a longer period is asked for in pieces. */
export const MAX_REPORT_DAYS = 3660;
/** The period of a report asked for without `from`: the last 30 days (before `to`). */
export const DEFAULT_REPORT_DAYS = 30;
const DAY_MS = 86_400_000;

// A day (`2026-01-31`, midnight UTC) or an instant with an offset (`2026-01-31T12:00:00Z`).
const instant = z.union([z.iso.date(), z.iso.datetime({ offset: true })]).transform((text) => new Date(text));

export const dateRangeQuery = z
  .object({ from: instant.optional(), to: instant.optional() })
  .refine((range) => !range.from || !range.to || range.from < range.to, { error: "from must be before to" });

/**
 * The period to report: `to` defaults to — and is capped at — the moment the
 * report starts, so rows written while it streams do not shift the batches;
 * `from` defaults to DEFAULT_REPORT_DAYS before `to`.
 */
export function resolveDateRange(query: unknown, now: Date = new Date()): DateRange {
  const parsed = dateRangeQuery.parse(query);
  const to = parsed.to && parsed.to < now ? parsed.to : now;
  const earliest = new Date(to.getTime() - MAX_REPORT_DAYS * DAY_MS);
  const from = parsed.from ?? new Date(to.getTime() - DEFAULT_REPORT_DAYS * DAY_MS);
  if (from < earliest) throw new AppError("invalid_request", `from: a report covers at most ${MAX_REPORT_DAYS} days`);
  return { from, to };
}
