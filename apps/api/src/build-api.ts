import type { Database } from "@modelfaucet/db";
import { createServer, type Config, type Logger, type Redis } from "@modelfaucet/server-kit";
import type { FastifyInstance } from "fastify";
import { adminDevelopersRoutes } from "./routes/admin-developers.js";

export const API_SERVICE = "@modelfaucet/api";

export interface ApiDeps {
  config: Config;
  db: Database;
  logger: Logger;
  redis?: Redis | undefined;
}

/** The URL clients reach the Gateway at, as the API tells them. */
export function gatewayBaseUrl(config: Config): string {
  return config.GATEWAY_PUBLIC_URL ?? `http://${config.HOST}:${config.PORT_GATEWAY}/v1`;
}

/** The Control API, ready to `listen()` or `inject()`. */
export async function buildApi(deps: ApiDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const app = await createServer({
    service: API_SERVICE,
    logger: deps.logger,
    db: deps.db,
    bodyLimitBytes: config.API_BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
    corsOrigins: config.API_CORS_ORIGINS,
    rateLimit: { maxRequests: config.API_RATE_LIMIT_MAX_REQUESTS, windowMs: config.API_RATE_LIMIT_WINDOW_MS },
    redis: deps.redis,
    readyTimeoutMs: config.READY_TIMEOUT_MS,
    readyDetails: { gateway_base_url: gatewayBaseUrl(config) },
  });
  await app.register(adminDevelopersRoutes, { db: deps.db, adminToken: config.ADMIN_TOKEN });
  return app;
}
