import { readUserLimits, type UserBudgetState } from "@modelfaucet/billing";
import { userLimitsSchema, type UserBudget, type UserLimits } from "@modelfaucet/contract";
import { formatUsd } from "@modelfaucet/core";
import type { Database } from "@modelfaucet/db";
import {
  bearerToken,
  type Redis,
  type RouteContract,
  withContract,
  type SessionAuthenticator,
} from "@modelfaucet/server-kit";
import type { FastifyInstance } from "fastify";
import { perMinuteReader } from "./per-minute-remaining.js";

const getLimits = {
  summary: "The end user's budgets and per-minute rates, with what remains",
  description:
    "Every budget of the app's `limits` and of each active feature's `policy.limits` that counts this end user " +
    "(their own, or shared with the feature's or app's other users): limit, used (settled), held (in flight) and " +
    "remaining, in USD (retail, 8 decimals) and tokens (input + output), with the period counted and when it resets; " +
    "and each per-minute rate with what is left of it this minute (null where the count is not shared: no Redis).",
  auth: "session",
  response: userLimitsSchema,
} satisfies RouteContract;

export interface UserLimitsOptions {
  db: Database;
  sessions: SessionAuthenticator;
  /** The Gateway's per-minute counters, read (never counted) where they are shared: in Redis. */
  redis?: Redis | undefined;
}

function budgetToWire({ applicable, window, usage }: UserBudgetState): UserBudget {
  const { budget, maxUnits, maxTokens } = applicable;
  const usedUnits = usage.spentUnits + usage.heldUnits;
  const usedTokens = usage.spentTokens + usage.heldTokens;
  return {
    source: applicable.source,
    feature_key: applicable.featureKey,
    scope: budget.scope,
    period: budget.period,
    window_hours: budget.window_hours ?? null,
    counted_from: window.from.toISOString(),
    resets_at: window.resetsAt.toISOString(),
    limit_usd: maxUnits === undefined ? null : formatUsd(maxUnits),
    used_usd: formatUsd(usage.spentUnits),
    held_usd: formatUsd(usage.heldUnits),
    remaining_usd: maxUnits === undefined ? null : formatUsd(usedUnits >= maxUnits ? 0n : maxUnits - usedUnits),
    limit_tokens: maxTokens ?? null,
    used_tokens: usage.spentTokens,
    held_tokens: usage.heldTokens,
    remaining_tokens: maxTokens === undefined ? null : Math.max(0, maxTokens - usedTokens),
  };
}

/** `GET /v1/user/limits` (session): the end user's budgets as they stand, and the per-minute rates configured. */
export async function userLimitsRoutes(app: FastifyInstance, { db, sessions, redis }: UserLimitsOptions) {
  const minute = perMinuteReader(app, redis);
  app.get("/v1/user/limits", withContract(getLimits), async (request): Promise<UserLimits> => {
    const session = await sessions.authenticate(bearerToken(request));
    const { budgets, rates } = await readUserLimits(db, session, new Date());
    return {
      budgets: budgets.map(budgetToWire),
      rate_limits: await Promise.all(
        rates.map(async (rate) => ({
          source: rate.source,
          feature_key: rate.featureKey,
          requests_per_minute: rate.requestsPerMinute ?? null,
          tokens_per_minute: rate.tokensPerMinute ?? null,
          ...(await minute(session, rate)),
        })),
      ),
    };
  });
}
