import { z } from "zod";
import { usdAmount } from "../money.js";

/** What revenue can be grouped by (days in UTC). */
export const REVENUE_GROUP_BY = ["day", "feature", "route_mode", "model"] as const;

export type RevenueGroupBy = (typeof REVENUE_GROUP_BY)[number];

/** `GET /v1/developers/:id/revenue` query: a [from, to) window (all time by default), and a grouping. */
export const revenueQuery = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  group_by: z.enum(REVENUE_GROUP_BY, { error: `group_by must be one of ${REVENUE_GROUP_BY.join(", ")}` }).optional(),
});

export type RevenueQuery = z.input<typeof revenueQuery>;

export const developerParams = z.object({ id: z.string().min(1).max(100) });

const totals = {
  requests: z.number().int(),
  /** What end users were charged. */
  retail_usd: usdAmount,
  /** The developer's share of it. */
  earned_usd: usdAmount,
};

/** The developer's totals in the window, its ledger balance, and with `group_by` the same per group. */
export const revenueSchema = z.object({
  developer_id: z.string(),
  ...totals,
  balance_usd: usdAmount,
  available_usd: usdAmount,
  group_by: z.enum(REVENUE_GROUP_BY).optional(),
  groups: z.array(z.object({ key: z.string(), ...totals })).optional(),
});

export type Revenue = z.output<typeof revenueSchema>;
