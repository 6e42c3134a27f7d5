import type { DailyUsage, DailyUsageBy } from "@modelfaucet/contract";
import { useQuery } from "@tanstack/react-query";
import { api, type Query } from "./api-client.js";

/** Daily usage of the caller's developer (`developer`) or of the platform (`operator`). */
export function useDailyUsage(
  scope: "developer" | "operator",
  params: { from: string; to: string; by: DailyUsageBy } & Query,
) {
  const path = scope === "developer" ? "/v1/developer/usage/daily" : "/v1/admin/usage/daily";
  return useQuery({
    queryKey: [path, params],
    queryFn: () => api<DailyUsage>(path, { query: params }),
  });
}
