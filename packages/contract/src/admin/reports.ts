import { z } from "zod";

/** Reports cover at most this long; a longer period is asked for in pieces. */
export const MAX_REPORT_DAYS = 3660;
/** The period of a report asked for without `from`: the last 30 days (before `to`). */
export const DEFAULT_REPORT_DAYS = 30;

// A day (`2026-01-31`, midnight UTC) or an instant with an offset (`2026-01-31T12:00:00Z`).
const instant = z.union([z.iso.date(), z.iso.datetime({ offset: true })]).transform((text) => new Date(text));

/**
 * `GET /v1/admin/reports/{usage,revenue,payouts}.csv` query: `from`
 * inclusive, `to` exclusive: dates or ISO instants. `to` defaults to now,
 * `from` to DEFAULT_REPORT_DAYS before `to`; a report covers at most
 * MAX_REPORT_DAYS.
 */
export const reportRangeQuery = z
  .object({ from: instant.optional(), to: instant.optional() })
  .refine((range) => !range.from || !range.to || range.from < range.to, { error: "from must be before to" });
