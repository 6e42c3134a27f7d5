import { ROUTE_MODES } from "@modelfaucet/core";
import { z } from "zod";
import { usdAmount } from "../money.js";
import { timestamp } from "../wire.js";

/** What daily usage can be split by besides the day. */
export const DAILY_USAGE_BY = ["route_mode", "feature", "model", "app"] as const;

export type DailyUsageBy = (typeof DAILY_USAGE_BY)[number];

/** Longest window one answer covers, in days. */
export const MAX_DAILY_USAGE_DAYS = 366;

const utcDay = z.iso.date({ error: "must be a day, YYYY-MM-DD (UTC)" });

/**
 * `GET /v1/developer/usage/daily` and `GET /v1/admin/usage/daily` query:
 * the UTC days `from` … `to` (both included; the last 30 days by default),
 * one split and optional filters. `developer_id` only where the caller may
 * see more than one developer.
 */
export const dailyUsageQuery = z.object({
  from: utcDay.optional(),
  to: utcDay.optional(),
  by: z.enum(DAILY_USAGE_BY, { error: `by must be one of ${DAILY_USAGE_BY.join(", ")}` }).default("route_mode"),
  app_id: z.string().min(1).max(100).optional(),
  feature_key: z.string().min(1).max(100).optional(),
  route_mode: z.enum(ROUTE_MODES).optional(),
  model: z.string().min(1).max(200).optional(),
  developer_id: z.string().min(1).max(100).optional(),
});

export type DailyUsageQuery = z.input<typeof dailyUsageQuery>;

/** One day of one split key (`""` for requests without a feature). */
export const dailyUsageItemSchema = z.object({
  day: z.iso.date(),
  key: z.string(),
  requests: z.number().int(),
  /** Requests whose upstream failed after usage was billed (e.g. a stream cut midway). */
  failed: z.number().int(),
  input_tokens: z.number().int(),
  output_tokens: z.number().int(),
  /** Upstream cost to the platform. */
  cost_usd: usdAmount,
  /** What end users were charged: cost + developer + platform. */
  retail_usd: usdAmount,
  developer_usd: usdAmount,
  platform_usd: usdAmount,
});

export type DailyUsageItem = z.output<typeof dailyUsageItemSchema>;

/** Daily usage, by day then key; days without usage are left out. */
export const dailyUsageSchema = z.object({
  from: z.iso.date(),
  to: z.iso.date(),
  by: z.enum(DAILY_USAGE_BY),
  /** Events before this moment were read from the daily rollup, later ones from the events themselves. */
  rolled_up_to: timestamp.nullable(),
  items: z.array(dailyUsageItemSchema),
});

export type DailyUsage = z.output<typeof dailyUsageSchema>;
