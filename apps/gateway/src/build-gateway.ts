import { createLedgerBilling, withSpendBudgets } from "@modelfaucet/billing";
import type { Database } from "@modelfaucet/db";
import {
  createDeveloperAuthenticator,
  createServer,
  createSessionAuthenticator,
  secretKeyringFromConfig,
  type Config,
  type Logger,
  type Redis,
} from "@modelfaucet/server-kit";
import { developerTokenLookup, findSessionByTokenHash } from "@modelfaucet/store";
import type { FastifyInstance } from "fastify";
import { createAppLimitsCatalog } from "./catalog/app-limits-catalog.js";
import { createFeatureCatalog } from "./catalog/feature-catalog.js";
import { spendBudgetsFor } from "./limits/spend-budgets.js";
import { createModelCatalog } from "./catalog/model-catalog.js";
import { chatCompletionsRoute } from "./routes/chat-completions.js";
import { platformProviders } from "./platform-providers.js";
import { modelsRoute } from "./routes/models.js";
import { parseAllowPrivateHosts, UpstreamPools } from "@modelfaucet/providers";
import { platformEmbeddingProviders } from "./embeddings/platform-embedding-providers.js";
import { platformResponsesProviders } from "./responses/platform-responses-providers.js";
import { embeddingsRoute } from "./routes/embeddings.js";
import { generationRoute } from "./routes/generation.js";
import { responsesRoute } from "./routes/responses.js";
import { healthProvidersRoute } from "./routes/health-providers.js";
import { CircuitBreakers, type CircuitBreakerOptions } from "./reliability/circuit-breakers.js";
import { resolveRetryOptions, type RetryOptions } from "./reliability/retry-policy.js";
import { registerUpstreamMetrics } from "./reliability/upstream-metrics.js";
import type { Reliability } from "./reliability/run-on-routes.js";
import { createCredentialProviders } from "./routing/credential-providers.js";
import { createGuardedUpstreamPools } from "./routing/guarded-upstream-pools.js";
import { createRouteSelector } from "./routing/route-candidates.js";
import { gatewayTelemetry, type GatewayTracingOptions } from "./telemetry/gateway-telemetry.js";
import { responseCacheFromConfig } from "./cache/response-cache-from-config.js";
import { rateRefundingBilling } from "./limits/rate-refunding-billing.js";
import { createUserRateLimits } from "./limits/user-rate-limits.js";

export const GATEWAY_SERVICE = "@modelfaucet/gateway";

export interface GatewayDeps {
  config: Config;
  db: Database;
  logger: Logger;
  redis?: Redis | undefined;
  /** Retry and circuit-breaker limits; unset fields take DEFAULT_RETRY_OPTIONS / DEFAULT_CIRCUIT_BREAKER_OPTIONS. */
  reliability?: GatewayReliabilityOptions | undefined;
  /** OpenTelemetry: a span processor replacing the OTLP exporter (tests); tracing is switched by OTEL_EXPORTER_OTLP_ENDPOINT. */
  tracing?: GatewayTracingOptions | undefined;
}

export interface GatewayReliabilityOptions {
  retry?: Partial<RetryOptions> | undefined;
  circuitBreaker?: Partial<CircuitBreakerOptions> | undefined;
  /** How long an adapter built for a stored key (holding it decrypted) is reused, ms. Default 60 000. */
  credentialCacheTtlMs?: number | undefined;
}

/** The OpenAI-compatible Gateway, ready to `listen()` or `inject()`. */
export async function buildGateway(deps: GatewayDeps): Promise<FastifyInstance> {
  const { config, db } = deps;
  const telemetry = gatewayTelemetry(GATEWAY_SERVICE, config, deps.tracing);
  const app = await createServer({
    service: GATEWAY_SERVICE,
    logger: deps.logger,
    db,
    bodyLimitBytes: config.GATEWAY_BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
    corsOrigins: config.GATEWAY_CORS_ORIGINS,
    rateLimit: { maxRequests: config.GATEWAY_RATE_LIMIT_MAX_REQUESTS, windowMs: config.GATEWAY_RATE_LIMIT_WINDOW_MS },
    redis: deps.redis,
    readyTimeoutMs: config.READY_TIMEOUT_MS,
    openapi: {
      title: "ModelFaucet Gateway",
      description: "OpenAI-compatible, with a session token as the API key; every answer carries its price.",
    },
    tracing: telemetry.requestTracing,
  });
  app.addHook("onClose", telemetry.shutdown);
  const { providers, close } = platformProviders(config);
  app.addHook("onClose", close);
  const catalog = createModelCatalog(db);
  const sessions = telemetry.sessions(
    createSessionAuthenticator(db, {
      lookup: findSessionByTokenHash,
      cacheTtlMs: 2000,
      maxCachedSessions: 100_000,
    }),
  );
  const features = createFeatureCatalog(db);
  const appLimits = createAppLimitsCatalog(db);
  // Embeddings and native Responses upstreams share their own keep-alive pools.
  const extraPools = new UpstreamPools();
  app.addHook("onClose", () => extraPools.close());
  const selectRoutes = createRouteSelector({
    db,
    platform: providers,
    platformEmbeddings: platformEmbeddingProviders(config, extraPools),
    platformResponses: platformResponsesProviders(config, extraPools),
    credentials: credentialProviders(app, deps),
  });
  await app.register(modelsRoute, { sessions, catalog, features, selectRoutes });
  const rateLimits = createUserRateLimits(app, { redis: deps.redis, logger: deps.logger, appRates: appLimits });
  const billing = rateRefundingBilling(
    createLedgerBilling(db, { holdTimeoutSeconds: config.HOLD_TIMEOUT_SECONDS }),
    rateLimits,
  );
  // Spending budgets around everything else: a request reserves on them after its wallet hold (withSpendBudgets).
  const budgetedBilling = withSpendBudgets(billing, {
    db,
    holdTimeoutSeconds: config.HOLD_TIMEOUT_SECONDS,
    budgetsFor: spendBudgetsFor(features, appLimits),
  });
  const reliability = { ...createReliability(app, deps, providers.keys()), traceAttempt: telemetry.traceAttempt };
  await app.register(healthProvidersRoute, { breakers: reliability.breakers });
  const upstreamTimeoutMs = config.UPSTREAM_TIMEOUT_MS;
  const endpoint = {
    sessions,
    features,
    catalog,
    selectRoutes,
    reliability,
    // Outermost: the spans cover every billing step (budgets included); the counters count what settled.
    billing: telemetry.billing(budgetedBilling, app.metrics),
    upstreamTimeoutMs,
    rateLimits,
  };
  await app.register(chatCompletionsRoute, { ...endpoint, responseCache: responseCacheFromConfig(app, deps) });
  await app.register(embeddingsRoute, endpoint);
  await app.register(responsesRoute, endpoint);
  // Looking a request up is also its developer's: `mf_dev_` tokens (looked up by hash) or DEVELOPER_ADMIN_TOKEN.
  const developers = createDeveloperAuthenticator({
    db,
    tokens: developerTokenLookup,
    adminToken: config.DEVELOPER_ADMIN_TOKEN,
  });
  await app.register(generationRoute, { db, sessions, developers });
  return app;
}

/** Breakers (the platform pool's shown from boot), retry limits and their metrics. */
function createReliability(app: FastifyInstance, deps: GatewayDeps, platform: Iterable<string>): Reliability {
  const { config } = deps;
  // Options passed in (tests) win over the configured limits.
  const breakers = new CircuitBreakers({
    failureThreshold: config.CIRCUIT_FAILURE_THRESHOLD,
    cooldownMs: config.CIRCUIT_COOLDOWN_MS,
    ...deps.reliability?.circuitBreaker,
  });
  for (const provider of platform) breakers.track({ key: `platform:${provider}`, provider, routeMode: "platform" });
  return {
    breakers,
    retry: resolveRetryOptions({
      maxAttempts: config.UPSTREAM_MAX_ATTEMPTS,
      maxRetryAfterSeconds: config.UPSTREAM_MAX_RETRY_AFTER_SECONDS,
      ...deps.reliability?.retry,
    }),
    metrics: registerUpstreamMetrics(app.metrics, breakers),
  };
}

/**
 * Adapters for stored BYOK / developer keys: decrypted with the secret
 * keyring, connected only through the URL guard (PROVIDER_ALLOW_PRIVATE_HOSTS
 * named hosts excepted, logged here at boot).
 */
function credentialProviders(app: FastifyInstance, deps: GatewayDeps) {
  const { config } = deps;
  const allowPrivateHosts = parseAllowPrivateHosts(config.PROVIDER_ALLOW_PRIVATE_HOSTS);
  if (allowPrivateHosts.length > 0) {
    deps.logger.warn(
      { hosts: allowPrivateHosts },
      "PROVIDER_ALLOW_PRIVATE_HOSTS: stored provider keys may reach these private hosts",
    );
  }
  const pools = createGuardedUpstreamPools({ allowPrivateHosts });
  const credentials = createCredentialProviders({
    db: deps.db,
    keyring: secretKeyringFromConfig(config),
    pools,
    timeouts: { requestTimeoutMs: config.UPSTREAM_TIMEOUT_MS, streamTimeoutMs: config.UPSTREAM_TIMEOUT_MS },
    ttlMs: deps.reliability?.credentialCacheTtlMs,
  });
  app.addHook("onClose", async () => {
    credentials.clear();
    await pools.close();
  });
  return credentials;
}
