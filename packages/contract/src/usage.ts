import { ROUTE_MODES } from "@modelfaucet/core";
import { z } from "zod";
import { usdAmount } from "./money.js";
import { pageOf, timestamp } from "./wire.js";

/** Largest page of usage a list answers. */
export const MAX_USAGE_PAGE = 500;

/** `GET /v1/apps/:publicAppId/usage` query: a page size, the previous page's `next_cursor`, a [from, to) window. */
export const usageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_USAGE_PAGE).default(50),
  cursor: z.string().max(400).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});

export type UsageQuery = z.input<typeof usageQuery>;

/** One billed request of an app, as its developer sees it. */
export const usageItemSchema = z.object({
  /** The request's x-request-id. */
  request_id: z.string(),
  feature_key: z.string().nullable(),
  route_mode: z.enum(ROUTE_MODES),
  provider: z.string(),
  model: z.string(),
  input_tokens: z.number().int(),
  cached_tokens: z.number().int(),
  output_tokens: z.number().int(),
  /** What the end user was charged. */
  retail_price_usd: usdAmount,
  /** The developer's share of it. */
  channel_revenue_usd: usdAmount,
  created_at: timestamp,
});

export type UsageItem = z.output<typeof usageItemSchema>;

/** `GET /v1/apps/:publicAppId/usage`: newest first. */
export const usagePageSchema = pageOf(usageItemSchema);

export type UsagePage = z.output<typeof usagePageSchema>;

/**
 * `GET /v1/user/usage` query: a page size and the previous page's
 * `next_cursor`; `request_id` narrows the list to one request's usage (how
 * the SDK reads what an aborted stream was billed).
 */
export const userUsageQuery = usageQuery
  .pick({ limit: true, cursor: true })
  .extend({ request_id: z.string().min(1).max(128).optional() });

export type UserUsageQuery = z.input<typeof userUsageQuery>;

/**
 * One request of an end user, as that user sees it: what it cost them
 * (`price_usd`, as in the `modelfaucet` block), never the split.
 */
export const userUsageItemSchema = usageItemSchema
  .omit({ retail_price_usd: true, channel_revenue_usd: true })
  .extend({ price_usd: usdAmount });

export type UserUsageItem = z.output<typeof userUsageItemSchema>;

/** `GET /v1/user/usage` (session): the end user's own requests, newest first. */
export const userUsagePageSchema = pageOf(userUsageItemSchema);

export type UserUsagePage = z.output<typeof userUsagePageSchema>;
