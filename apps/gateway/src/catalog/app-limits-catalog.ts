import { appLimitsSchema, type Limits } from "@modelfaucet/core";
import type { Queryable } from "@modelfaucet/db";
import { findAppLimits } from "@modelfaucet/store";
import { ttlCache } from "./ttl-cache.js";

/**
 * Each app's `limits` (budgets and per-end-user rates across the app), re-read
 * at most every `ttlMs` like features: an app without limits costs no
 * database work per request. Stored limits were validated on write; a stored
 * value that no longer passes is a bug, and the app's requests fail rather
 * than run unbudgeted.
 */
export function createAppLimitsCatalog(db: Queryable, ttlMs = 5000) {
  const load = ttlCache(ttlMs, 10_000, async (appId: string): Promise<Limits | undefined | Error> => {
    const stored = await findAppLimits(db, appId);
    if (stored === null) return undefined;
    const parsed = appLimitsSchema.safeParse(stored);
    return parsed.success
      ? parsed.data
      : new Error(`stored limits of app ${appId} are invalid: ${parsed.error.message}`);
  });
  return async (appId: string): Promise<Limits | undefined> => {
    const limits = await load(appId);
    if (limits instanceof Error) throw limits;
    return limits;
  };
}

export type AppLimitsCatalog = ReturnType<typeof createAppLimitsCatalog>;
