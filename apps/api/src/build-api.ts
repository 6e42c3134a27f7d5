import { createLedgerBilling, localHoldTimeoutSeconds, storedBudgetsFor, withSpendBudgets } from "@modelfaucet/billing";
import { decodeMasterKeyText, deriveKey } from "@modelfaucet/crypto";
import type { Database } from "@modelfaucet/db";
import {
  createConsoleSessionAuth,
  createDeveloperAuthenticator,
  createServer,
  createSessionAuthenticator,
  masterKey,
  secretKeyringFromConfig,
  type Config,
  type Logger,
  type Redis,
} from "@modelfaucet/server-kit";
import { consoleSessionLookup, developerTokenLookup, findSessionByTokenHash } from "@modelfaucet/store";
import type { FastifyInstance } from "fastify";
import { registerProviderKeyRoutes } from "./provider-keys/register-provider-key-routes.js";
import type { ProviderKeyValidator } from "./provider-keys/validate-provider-key.js";
import type Stripe from "stripe";
import { createStripeClient } from "./payments/stripe-client.js";
import { refuseUnsafeInput } from "./refuse-unsafe-input.js";
import { adminReportsRoutes } from "./routes/admin-reports.js";
import { adminConsoleViewsRoutes } from "./routes/admin-console-views.js";
import { consoleSessionRoutes } from "./routes/console-sessions.js";
import { developerUsageViewsRoutes } from "./routes/developer-usage-views.js";
import { developerCatalogRoutes } from "./routes/developer-catalog.js";
import { adminDevelopersRoutes } from "./routes/admin-developers.js";
import { adminMoneyRoutes } from "./routes/admin-money.js";
import { adminAdjustmentsRoutes } from "./routes/admin-adjustments.js";
import { adminCatalogRoutes } from "./routes/admin-catalog.js";
import { adminPayoutsRoutes } from "./routes/admin-payouts.js";
import { developerAppsRoutes } from "./routes/developer-apps.js";
import { developerMoneyRoutes } from "./routes/developer-money.js";
import { developerOperationsRoutes } from "./routes/developer-operations.js";
import { developerTokensRoutes } from "./routes/developer-tokens.js";
import { localEndpointsRoutes } from "./routes/local-endpoints.js";
import { localTicketsRoutes } from "./routes/local-tickets.js";
import { localUsageReportRoutes } from "./routes/local-usage-report.js";
import { sessionRoutes } from "./routes/sessions.js";
import { stripeCheckoutRoutes } from "./routes/stripe-checkout.js";
import { stripeWebhookRoutes } from "./routes/stripe-webhook.js";
import { userLimitsRoutes } from "./routes/user-limits.js";
import { userUsageRoutes } from "./routes/user-usage.js";
import { userWalletRoutes } from "./routes/user-wallet.js";

export const API_SERVICE = "@modelfaucet/api";

export interface ApiDeps {
  config: Config;
  db: Database;
  logger: Logger;
  redis?: Redis | undefined;
  /** Replaces the real provider-key validation call (`validate: true`): tests pass a fake. */
  validateProviderKey?: ProviderKeyValidator | undefined;
  /**
   * The Stripe client to use when STRIPE_SECRET_KEY is set, instead of one
   * built from it: tests pass one pointed at a local fake Stripe.
   */
  stripe?: Stripe | undefined;
}

/** The URL clients reach the Gateway at, as the API tells them. */
export function gatewayBaseUrl(config: Config): string {
  return config.GATEWAY_PUBLIC_URL ?? `http://${config.HOST}:${config.PORT_GATEWAY}/v1`;
}

/** The Control API, ready to `listen()` or `inject()`. */
export async function buildApi(deps: ApiDeps): Promise<FastifyInstance> {
  const { config, db } = deps;
  const key = masterKey(config);
  if (key.insecure)
    deps.logger.warn("SECRET_ENCRYPTION_KEY is not set: user ids are keyed with a development-only key");
  const app = await createServer({
    service: API_SERVICE,
    logger: deps.logger,
    db,
    bodyLimitBytes: config.API_BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
    corsOrigins: config.API_CORS_ORIGINS,
    rateLimit: { maxRequests: config.API_RATE_LIMIT_MAX_REQUESTS, windowMs: config.API_RATE_LIMIT_WINDOW_MS },
    redis: deps.redis,
    readyTimeoutMs: config.READY_TIMEOUT_MS,
    readyDetails: { gateway_base_url: gatewayBaseUrl(config) },
    openapi: {
      title: "ModelFaucet Control API",
      description: "Sessions, wallets, provider keys, the developer console and the operator's admin routes.",
    },
  });
  // Every route: text PostgreSQL cannot store (NUL, lone surrogates) is a 400 naming the field.
  app.addHook("preValidation", refuseUnsafeInput);
  // Every route: the dashboard's cookie session stands in for the token it was opened with.
  const consoleAuth = createConsoleSessionAuth({
    db,
    sessions: consoleSessionLookup,
    developerTokens: developerTokenLookup,
    adminToken: config.ADMIN_TOKEN,
    developerAdminToken: config.DEVELOPER_ADMIN_TOKEN,
    csrfKey: deriveKey(key.key, "console-csrf"),
  });
  app.addHook("onRequest", consoleAuth.resolve);
  await app.register(consoleSessionRoutes, { db, consoleAuth, ttlSeconds: config.CONSOLE_SESSION_TTL_SECONDS });
  const sessions = createSessionAuthenticator(db, {
    lookup: findSessionByTokenHash,
    cacheTtlMs: 2000,
    maxCachedSessions: 10_000,
  });
  const keyring = secretKeyringFromConfig(config);
  await app.register(sessionRoutes, {
    db,
    keyring,
    userIdKeys: [
      key.key,
      ...(config.SECRET_ENCRYPTION_KEY_PREVIOUS
        ? [decodeMasterKeyText(config.SECRET_ENCRYPTION_KEY_PREVIOUS, "SECRET_ENCRYPTION_KEY_PREVIOUS")]
        : []),
    ].map((master) => deriveKey(master, "external-user-id")),
    ttlSeconds: config.SESSION_TOKEN_TTL_SECONDS,
    gatewayBaseUrl: gatewayBaseUrl(config),
  });
  await app.register(userWalletRoutes, { db, sessions });
  await app.register(userUsageRoutes, { db, sessions });
  await app.register(userLimitsRoutes, { db, sessions, redis: deps.redis });
  await app.register(localEndpointsRoutes, { db, sessions });
  const localTickets = { ttlSeconds: config.LOCAL_TICKET_TTL_SECONDS, graceSeconds: config.LOCAL_TICKET_GRACE_SECONDS };
  const localHoldSeconds = localHoldTimeoutSeconds(localTickets);
  // Local calls count against spending budgets too: the fee at issue, the reported tokens at settlement.
  const localBilling = withSpendBudgets(createLedgerBilling(db, { holdTimeoutSeconds: localHoldSeconds }), {
    db,
    holdTimeoutSeconds: localHoldSeconds,
    budgetsFor: storedBudgetsFor(db),
  });
  await app.register(localTicketsRoutes, { db, sessions, billing: localBilling, settings: localTickets });
  await app.register(localUsageReportRoutes, { db, billing: localBilling, graceSeconds: localTickets.graceSeconds });
  await app.register(adminDevelopersRoutes, { db, adminToken: config.ADMIN_TOKEN });
  await app.register(adminMoneyRoutes, { db, adminToken: config.ADMIN_TOKEN });
  await app.register(adminAdjustmentsRoutes, { db, adminToken: config.ADMIN_TOKEN });
  await app.register(adminPayoutsRoutes, { db, adminToken: config.ADMIN_TOKEN });
  await app.register(adminCatalogRoutes, { db, adminToken: config.ADMIN_TOKEN });
  // Developer console: `mf_dev_` tokens (scoped, one developer each) or the bootstrap DEVELOPER_ADMIN_TOKEN.
  const developerAuth = createDeveloperAuthenticator({
    db,
    tokens: developerTokenLookup,
    adminToken: config.DEVELOPER_ADMIN_TOKEN,
  });
  await app.register(developerTokensRoutes, { db, auth: developerAuth });
  await app.register(developerAppsRoutes, { db, auth: developerAuth, keyring });
  await app.register(developerMoneyRoutes, { db, auth: developerAuth });
  await app.register(developerOperationsRoutes, { db, auth: developerAuth });
  await registerProviderKeyRoutes(app, {
    config,
    db,
    logger: deps.logger,
    sessions,
    developerAuth,
    validateProviderKey: deps.validateProviderKey,
  });
  const stripe = config.STRIPE_SECRET_KEY ? (deps.stripe ?? createStripeClient(config.STRIPE_SECRET_KEY)) : undefined;
  await app.register(stripeCheckoutRoutes, { db, sessions, stripe });
  await app.register(stripeWebhookRoutes, { db, webhookSecret: config.STRIPE_WEBHOOK_SECRET });
  await app.register(adminReportsRoutes, { db, adminToken: config.ADMIN_TOKEN });
  await app.register(adminConsoleViewsRoutes, { db, adminToken: config.ADMIN_TOKEN });
  await app.register(developerUsageViewsRoutes, { db, auth: developerAuth });
  await app.register(developerCatalogRoutes, { db, auth: developerAuth });
  return app;
}
