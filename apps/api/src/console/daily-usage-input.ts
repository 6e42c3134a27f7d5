import { MAX_DAILY_USAGE_DAYS, type dailyUsageQuery } from "@modelfaucet/contract";
import { dailyUsageWindow, type DailyUsageInput, type Tenant } from "@modelfaucet/store";
import type { z } from "zod";

/** A parsed daily usage query as the store reads it, for `tenant` (a developer, or null for all). */
export function dailyUsageInput(tenant: Tenant, query: z.output<typeof dailyUsageQuery>): DailyUsageInput {
  return {
    tenant,
    ...dailyUsageWindow(query.from, query.to, MAX_DAILY_USAGE_DAYS),
    by: query.by,
    appId: query.app_id,
    featureKey: query.feature_key,
    routeMode: query.route_mode,
    model: query.model,
  };
}
