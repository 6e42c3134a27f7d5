import { ROUTE_MODES } from "@modelfaucet/core";
import { z } from "zod";
import { usdAmount } from "../money.js";
import { timestamp } from "../wire.js";

export const requestDetailParams = z.object({
  request_id: z.string().min(1).max(128),
});

/** One upstream attempt of a request, as the Gateway logged it (route, provider, outcome, duration). */
export const requestAttemptSchema = z
  .object({
    route_mode: z.string().optional(),
    provider: z.string().optional(),
    model: z.string().optional(),
    outcome: z.string().optional(),
    status: z.number().int().optional(),
    duration_ms: z.number().optional(),
    retry_in_ms: z.number().optional(),
  })
  .loose();

/**
 * `GET /v1/developer/requests/:request_id`: one billed request of the
 * caller's developer — tokens, the price split (cost + developer + platform
 * = retail), route, model, attempts and time. Another developer's request is
 * 404, as an unknown one.
 */
export const requestDetailSchema = z.object({
  request_id: z.string(),
  app_id: z.string(),
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
  cost_usd: usdAmount,
  retail_usd: usdAmount,
  developer_usd: usdAmount,
  platform_usd: usdAmount,
  held_usd: usdAmount,
  attempts: z.array(requestAttemptSchema),
  created_at: timestamp,
});

export type RequestDetail = z.output<typeof requestDetailSchema>;
