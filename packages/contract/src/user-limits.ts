import { BUDGET_PERIODS, BUDGET_SCOPES } from "@modelfaucet/core";
import { z } from "zod";
import { usdAmount } from "./money.js";
import { timestamp } from "./wire.js";

/**
 * One spending budget that applies to the end user, as it stands now. USD
 * amounts are retail (what the end user is charged); tokens are input +
 * output. `used` is what settled requests spent in the period or window,
 * `held` what requests in flight have reserved, `remaining` = limit − used −
 * held (never below 0). A side without a limit (`limit_usd` or
 * `limit_tokens` null) is still counted.
 */
export const userBudgetSchema = z.object({
  /** Who set it: the app's `limits`, or a feature's `policy.limits`. */
  source: z.enum(["app", "feature"]),
  /** The feature that set it; null for the app's (counting every feature). */
  feature_key: z.string().nullable(),
  /** `end_user`: this end user's own spending; `feature` / `app`: every end user's together. */
  scope: z.enum(BUDGET_SCOPES),
  period: z.enum(BUDGET_PERIODS),
  /** For `rolling`: the window's length in whole hours; null otherwise. */
  window_hours: z.number().int().nullable(),
  /** The start of what is counted: the UTC day or month, or the window's oldest hour. */
  counted_from: timestamp,
  /**
   * When the count next drops: the next UTC day or month (a reset to 0); for
   * a rolling window, when its oldest hour leaves it (the next hour).
   */
  resets_at: timestamp,
  limit_usd: usdAmount.nullable(),
  used_usd: usdAmount,
  held_usd: usdAmount,
  remaining_usd: usdAmount.nullable(),
  limit_tokens: z.number().int().nullable(),
  used_tokens: z.number().int(),
  held_tokens: z.number().int(),
  remaining_tokens: z.number().int().nullable(),
});

export type UserBudget = z.output<typeof userBudgetSchema>;

/**
 * The per-end-user rates configured for the end user's requests (the app's
 * apply to every feature, a feature's to its own requests); null = none.
 */
export const userRateLimitSchema = z.object({
  source: z.enum(["app", "feature"]),
  feature_key: z.string().nullable(),
  requests_per_minute: z.number().int().nullable(),
  tokens_per_minute: z.number().int().nullable(),
  /**
   * What is left of each limit in the current minute (tokens: requests in
   * flight count their worst case until they settle), and when that minute's
   * counts end (null: nothing counted). Null as well when the count cannot be
   * read without taking part in it: without REDIS_URL each Gateway counts in
   * its own memory.
   */
  requests_remaining: z.number().int().nullable(),
  tokens_remaining: z.number().int().nullable(),
  resets_at: timestamp.nullable(),
});

export type UserRateLimit = z.output<typeof userRateLimitSchema>;

/** `GET /v1/user/limits` (session): every budget and rate that applies to the session's end user. */
export const userLimitsSchema = z.object({
  budgets: z.array(userBudgetSchema),
  rate_limits: z.array(userRateLimitSchema),
});

export type UserLimits = z.output<typeof userLimitsSchema>;
