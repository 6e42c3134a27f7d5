import type { DailyUsage, DailyUsageBy, WalletSummary } from "@modelfaucet/contract";
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

/** `/v1/admin/wallets/:id` of one wallet; its entries and adjustments are below it. */
export const walletPath = (walletId: string) => `/v1/admin/wallets/${encodeURIComponent(walletId)}`;

/**
 * The query key under which one wallet's reads live: its summary is this key
 * and its ledger entries extend it, so invalidating it refreshes both.
 */
export const walletQueryKey = (walletId: string) => [walletPath(walletId)];

/** One end user's wallet with its balance, held and available amounts (operator). */
export function useWalletSummary(walletId: string) {
  return useQuery({
    queryKey: walletQueryKey(walletId),
    queryFn: () => api<WalletSummary>(walletPath(walletId)),
  });
}
