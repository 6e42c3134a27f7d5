// Every public wire shape of the Control API and the Gateway: request schemas
// (what the servers parse with), response schemas (what they send), their
// types, error codes and money strings. Browser-safe: no Node built-ins, no
// I/O. A client that only needs types imports them with `import type` and
// pulls in no zod.
export * from "./money.js";
export * from "./errors.js";
export * from "./wire.js";
export * from "./idempotency-key.js";
export * from "./service-health.js";
export * from "./sessions.js";
export * from "./wallet.js";
export * from "./user-limits.js";
export * from "./usage.js";
export * from "./checkout.js";
export * from "./stripe-webhook.js";
export * from "./local-endpoints.js";
export * from "./local/local-report.js";
export * from "./provider-keys.js";
export * from "./gateway/chat-request.js";
export * from "./gateway/chat-completion.js";
export * from "./gateway/embedding-request.js";
export * from "./gateway/embeddings-response.js";
export * from "./gateway/responses-request.js";
export * from "./gateway/responses-object.js";
export * from "./gateway/model-choice.js";
export * from "./gateway/modelfaucet-block.js";
export * from "./gateway/models.js";
export * from "./gateway/provider-health.js";
export * from "./gateway/usage-cost.js";
export * from "./gateway/generation.js";
export * from "./developer/apps.js";
export * from "./developer/features.js";
export * from "./developer/tokens.js";
export * from "./developer/revenue.js";
export * from "./developer/operations.js";
export * from "./admin/developers.js";
export * from "./admin/wallet-params.js";
export * from "./admin/credits.js";
export * from "./admin/adjustments.js";
export * from "./admin/payouts.js";
export * from "./admin/catalog.js";
export * from "./admin/reconciliation.js";
export * from "./admin/reports.js";
export * from "./admin/wallet-ledger.js";
export * from "./admin/audit-log.js";
export * from "./console/console-session.js";
export * from "./console/daily-usage.js";
export * from "./console/request-detail.js";
