import type { Database } from "@modelfaucet/db";
import { createServer, type Config, type Logger, type Redis } from "@modelfaucet/server-kit";
import type { FastifyInstance } from "fastify";

export const GATEWAY_SERVICE = "@modelfaucet/gateway";

export interface GatewayDeps {
  config: Config;
  db: Database;
  logger: Logger;
  redis?: Redis | undefined;
}

/** The OpenAI-compatible Gateway, ready to `listen()` or `inject()`. */
export async function buildGateway(deps: GatewayDeps): Promise<FastifyInstance> {
  const { config } = deps;
  return createServer({
    service: GATEWAY_SERVICE,
    logger: deps.logger,
    db: deps.db,
    bodyLimitBytes: config.GATEWAY_BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
    corsOrigins: config.GATEWAY_CORS_ORIGINS,
    rateLimit: { maxRequests: config.GATEWAY_RATE_LIMIT_MAX_REQUESTS, windowMs: config.GATEWAY_RATE_LIMIT_WINDOW_MS },
    redis: deps.redis,
    readyTimeoutMs: config.READY_TIMEOUT_MS,
  });
}
