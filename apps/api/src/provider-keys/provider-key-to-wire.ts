import type { ProviderKey } from "@modelfaucet/contract";
import { formatUsd } from "@modelfaucet/core";
import type { ProviderKeyRecord } from "@modelfaucet/store";

/** A provider key on the wire: `masked` only, never the key. */
export function providerKeyToWire(record: ProviderKeyRecord): ProviderKey {
  return {
    id: record.id,
    ...(record.owner.kind === "developer" ? { developer_id: record.owner.developerId } : {}),
    provider: record.provider,
    base_url: record.baseUrl,
    models_allowed: record.modelsAllowed,
    budget_limit_usd: record.budgetLimitUnits === null ? null : formatUsd(record.budgetLimitUnits),
    priority: record.priority,
    fallback_to_platform: record.fallbackToPlatform,
    masked: record.masked,
    created_at: record.createdAt.toISOString(),
    revoked_at: record.revokedAt?.toISOString() ?? null,
  };
}
