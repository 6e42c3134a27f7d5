import type { Database } from "@modelfaucet/db";
import {
  createServer,
  createSessionAuthenticator,
  type Config,
  type Logger,
  type Redis,
} from "@modelfaucet/server-kit";
import type { FastifyInstance } from "fastify";
import { createLedgerBilling } from "./billing/ledger-billing.js";
import { createFeatureCatalog } from "./catalog/feature-catalog.js";
import { createModelCatalog } from "./catalog/model-catalog.js";
import { chatCompletionsRoute } from "./routes/chat-completions.js";
import { platformProviders } from "./platform-providers.js";
import { modelsRoute } from "./routes/models.js";
import { UpstreamPools } from "@modelfaucet/providers";
import { platformEmbeddingProviders } from "./embeddings/platform-embedding-providers.js";
import { platformResponsesProviders } from "./responses/platform-responses-providers.js";
import { embeddingsRoute } from "./routes/embeddings.js";
import { responsesRoute } from "./routes/responses.js";

export const GATEWAY_SERVICE = "@modelfaucet/gateway";

export interface GatewayDeps {
  config: Config;
  db: Database;
  logger: Logger;
  redis?: Redis | undefined;
}

/** The OpenAI-compatible Gateway, ready to `listen()` or `inject()`. */
export async function buildGateway(deps: GatewayDeps): Promise<FastifyInstance> {
  const { config, db } = deps;
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
  });
  const { providers, close } = platformProviders(config);
  app.addHook("onClose", close);
  const catalog = createModelCatalog(db);
  const sessions = createSessionAuthenticator(db, { cacheTtlMs: 2000, maxCachedSessions: 100_000 });
  await app.register(modelsRoute, { sessions, catalog, reachableProviders: () => new Set(providers.keys()) });
  const features = createFeatureCatalog(db);
  const billing = createLedgerBilling(db, { holdTimeoutSeconds: config.HOLD_TIMEOUT_SECONDS });
  await app.register(chatCompletionsRoute, {
    sessions,
    features,
    catalog,
    providers,
    billing,
    upstreamTimeoutMs: config.UPSTREAM_TIMEOUT_MS,
  });
  // Embeddings and native Responses upstreams share their own keep-alive pools.
  const extraPools = new UpstreamPools();
  app.addHook("onClose", () => extraPools.close());
  const upstreamTimeoutMs = config.UPSTREAM_TIMEOUT_MS;
  const embeddingProviders = platformEmbeddingProviders(config, extraPools);
  await app.register(embeddingsRoute, {
    sessions,
    features,
    catalog,
    providers: embeddingProviders,
    billing,
    upstreamTimeoutMs,
  });
  const nativeProviders = platformResponsesProviders(config, extraPools);
  await app.register(responsesRoute, {
    sessions,
    features,
    catalog,
    chatProviders: providers,
    nativeProviders,
    billing,
    upstreamTimeoutMs,
  });
  return app;
}
