import { ROUTE_MODES } from "@modelfaucet/core";
import { z } from "zod";
import { requestAttemptSchema } from "../console/request-detail.js";
import { usdAmount } from "../money.js";
import { timestamp } from "../wire.js";
import { usageCostSchema } from "./usage-cost.js";

/** `GET /v1/generation/:request_id`: the request's `x-request-id` (the `modelfaucet.request_id` of its answer). */
export const generationParams = z.object({
  request_id: z.string().min(1).max(128),
});

/** How a request's price divides: upstream cost + the developer's share + the platform's = `price_usd`. */
export const generationSplitSchema = z.object({
  cost_usd: usdAmount,
  developer_usd: usdAmount,
  platform_usd: usdAmount,
});

/**
 * `GET /v1/generation/:request_id` (Gateway): one billed request, as
 * OpenRouter's generation lookup gives it — tokens, price, route, model,
 * every upstream attempt, and latency. `price_usd` is what the end user was
 * charged (exact), `cost` the same as a number (`usage.cost` of the answer).
 * `split` is shown to the app's developer only; for the end user's own
 * session it is null, as in `GET /v1/user/usage` (the margin is the
 * developer's business). `latency_ms` runs from the request's arrival to
 * its settlement (for a stream: its end); null for requests recorded before
 * it was measured. `redacted_items`: how many personal items the feature's
 * privacy policy replaced by placeholders before the upstream call (the
 * items themselves are never stored). `cached`: answered from the feature's
 * response cache — no upstream call, so zero tokens and no upstream cost.
 */
export const generationSchema = z.object({
  request_id: z.string(),
  feature_key: z.string().nullable(),
  route_mode: z.enum(ROUTE_MODES),
  provider: z.string(),
  model: z.string(),
  stream: z.boolean(),
  outcome: z.string(),
  usage_source: z.string(),
  input_tokens: z.number().int(),
  cached_tokens: z.number().int(),
  output_tokens: z.number().int(),
  total_tokens: z.number().int(),
  price_usd: usdAmount,
  cost: usageCostSchema,
  split: generationSplitSchema.nullable(),
  attempts: z.array(requestAttemptSchema),
  latency_ms: z.number().int().nonnegative().nullable(),
  redacted_items: z.number().int().nonnegative(),
  cached: z.boolean(),
  created_at: timestamp,
});

export type Generation = z.output<typeof generationSchema>;
