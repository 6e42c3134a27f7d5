/**
 * @modelfaucet/store — the repositories: the SQL the apps run outside the
 * ledger and the money recipes. Each function takes a `Queryable` (or the
 * `Database`, when it owns its transaction) and returns typed objects:
 * domain records in camelCase, or the wire shapes of `@modelfaucet/contract`
 * where that is what the caller answers with. Tenancy stays in the SQL: a
 * function given a developer filters by it in the statement itself, so
 * another developer's rows are never read. Operations that change what an
 * operator or developer owns write their audit entry in their own
 * transaction, with the `AuditActor` the caller names.
 */
export type { Tenant } from "./tenant.js";

export {
  appendAuditEntry,
  operatorActor,
  type AuditActor,
  type AuditActorType,
  type AuditEntry,
} from "./audit/append-audit-entry.js";

export { createDeveloper, developerExists, listDevelopers } from "./developers/developer-store.js";
export {
  createDeveloperToken,
  listDeveloperTokens,
  revokeDeveloperToken,
  type DeveloperTokenRecord,
  type NewDeveloperToken,
} from "./tokens/developer-token-store.js";
export { developerTokenLookup } from "./tokens/developer-token-credentials.js";

export { archiveApp, createApp, findApp, listApps, updateApp, type App, type AppChange } from "./apps/app-store.js";
export { findAppLimits } from "./limits/app-limits.js";
export {
  readCounterSpans,
  reserveBudgets,
  resolveBudgetReservation,
  sweepBudgetReservations,
  type CounterBucket,
  type CounterSpan,
  type CounterUsage,
  type ReservationOutcome,
  type ReserveBudgetsInput,
  type ReserveBudgetsResult,
  type SpanLimit,
} from "./limits/budget-counters.js";
export {
  createAppSecretKey,
  isLiveAppSecretKey,
  liveAppSecretKeys,
  revokeAppSecretKey,
  type AppSecretKey,
} from "./apps/app-secret-keys.js";
export {
  archiveFeature,
  createFeature,
  listFeatures,
  updateFeature,
  type FeatureChange,
  type StoredFeature,
  type StoredManifest,
} from "./features/feature-store.js";
export { listActiveFeatures, type ActiveFeature } from "./features/active-features.js";

export {
  findSessionApp,
  findSessionByTokenHash,
  mintSession,
  type NewSession,
  type SessionApp,
} from "./sessions/session-store.js";
export { sweepExpiredSessions } from "./sessions/sweep-expired-sessions.js";

export { envelopeFromRow, type EnvelopeRow } from "./secrets/envelope-columns.js";
export type { ProviderKeyOwner } from "./provider-keys/provider-key-owner.js";
export {
  countActiveProviderKeys,
  insertProviderKey,
  listProviderKeys,
  loadDecryptedProviderKey,
  MAX_ACTIVE_PROVIDER_KEYS,
  newProviderKeyId,
  revokeProviderKey,
  updateProviderKeyBudget,
  type DecryptedProviderKey,
  type NewProviderKey,
  type ProviderKeyRecord,
} from "./provider-keys/provider-key-store.js";

export {
  registerLocalEndpoint,
  listLocalEndpoints,
  type NewLocalEndpoint,
} from "./local-endpoints/local-endpoint-store.js";

export {
  closeLocalTicket,
  findLocalTicket,
  insertLocalTicket,
  localTicketsPastGrace,
  type LocalTicketRecord,
  type NewLocalTicket,
} from "./local-tickets/local-ticket-store.js";

export { listCurrentModels, type CurrentModel } from "./catalog/current-models.js";
export { listCatalogRows, retireModel, setModelPrice, type CatalogRowState } from "./catalog/model-store.js";

export { appUsagePage, developerRevenue, type AppUsagePageInput, type RevenueTotals } from "./usage/usage-queries.js";
export { userUsagePage, type UserUsagePageInput } from "./usage/user-usage-page.js";
export { developerOperationLists, type OperationLists } from "./operations/developer-operations.js";
export { dailyUsage, dailyUsageWindow, type DailyUsageInput } from "./usage/daily-usage.js";
export { refreshUsageRollup } from "./usage/usage-rollup.js";
export { requestDetail } from "./usage/request-detail.js";
export { findGeneration, type GenerationViewer } from "./usage/generation-lookup.js";
export { listWallets, walletEntries, walletSummary } from "./wallets/wallet-ledger.js";
export { listAuditEntries } from "./audit/list-audit-entries.js";
export {
  consoleSessionLookup,
  createConsoleSession,
  revokeConsoleSession,
  sweepExpiredConsoleSessions,
  type NewConsoleSession,
} from "./console/console-session-store.js";

export type { DateRange } from "./reports/date-range.js";
export { usageReport } from "./reports/usage-report.js";
export { revenueReport } from "./reports/revenue-report.js";
export { payoutsReport } from "./reports/payouts-report.js";
