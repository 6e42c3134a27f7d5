import { z } from "zod";

import { fieldMessage, objectMessage } from "./field-message.js";

/** Longest a cached answer may be served: one day. */
export const MAX_CACHE_TTL_SECONDS = 86_400;

const ttlMessage = `policy.cache.ttl_seconds must be an integer from 1 to ${MAX_CACHE_TTL_SECONDS}`;

/**
 * `policy.cache`: an opt-in response cache for the feature. Absent means no
 * cache. A request identical to an earlier one (same model, messages, tools
 * and generation parameters, same app, feature — and end user, unless
 * `shared_across_users`) is answered from the cache for `ttl_seconds`, billed
 * at `pricing.cache_price_usd`. Sharing across users is off by default: an
 * answer may depend on what one user wrote, and another user must not see it
 * unless the developer says their prompts carry nothing personal.
 */
export const featureCacheSchema = z.strictObject(
  {
    ttl_seconds: z
      .number({ error: fieldMessage("policy.cache.ttl_seconds", "an integer") })
      .int({ error: ttlMessage })
      .min(1, { error: ttlMessage })
      .max(MAX_CACHE_TTL_SECONDS, { error: ttlMessage }),
    shared_across_users: z
      .boolean({ error: fieldMessage("policy.cache.shared_across_users", "true or false") })
      .default(false),
  },
  { error: objectMessage("policy.cache") },
);

export type FeatureCache = z.output<typeof featureCacheSchema>;
