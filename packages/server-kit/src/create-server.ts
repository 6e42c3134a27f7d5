import cors from "@fastify/cors";
import { resolveRequestId } from "@modelfaucet/core";
import type { Database } from "@modelfaucet/db";
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from "fastify";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { createServiceMetrics, type ServiceMetrics } from "./metrics.js";
import { errorEnvelopePlugin, sendError } from "./plugins/error-envelope.js";
import { metricsPlugin, routeLabel } from "./plugins/metrics.js";
import { rateLimitPlugin } from "./plugins/rate-limit.js";
import { readinessPlugin } from "./plugins/readiness.js";
import { REQUEST_ID_HEADER, requestIdPlugin } from "./plugins/request-id.js";

export interface ServerOptions {
  /** Package name, used as the `service` metric label and in logs. */
  service: string;
  logger: Logger;
  db: Database;
  bodyLimitBytes: number;
  /** Fastify `trustProxy`: false, true, a hop count, or proxy addresses. */
  trustProxy: boolean | number | string;
  /** Allowed browser origins; undefined or ["*"] allows any origin (refused in production by config). */
  corsOrigins: string[] | undefined;
  rateLimit: { maxRequests: number; windowMs: number };
  redis?: Redis | undefined;
  readyTimeoutMs: number;
  /** Facts /ready reports beside its checks. */
  readyDetails?: Record<string, string>;
}

declare module "fastify" {
  interface FastifyInstance {
    metrics: ServiceMetrics;
  }
}

// A hop count means: trust that many proxies nearest to us, whatever their address.
const trustHops = (hops: number) => (_address: string, hop: number) => hop < hops;

/**
 * A Fastify instance with the operations layer every service shares: request
 * ids, the error envelope, metrics, rate limits, CORS, /health and /ready.
 * The caller registers its routes on it, then listens (or injects in tests).
 */
export async function createServer(options: ServerOptions): Promise<FastifyInstance> {
  const metrics = createServiceMetrics(options.service);
  const app = Fastify({
    loggerInstance: options.logger.child({ service: options.service }) as FastifyBaseLogger,
    // Our own onResponse hook logs requests (4xx/5xx only above debug level).
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: "request_id" }),
    requestIdHeader: false,
    genReqId: (request) => resolveRequestId(request.headers[REQUEST_ID_HEADER]),
    bodyLimit: options.bodyLimitBytes,
    trustProxy: typeof options.trustProxy === "number" ? trustHops(options.trustProxy) : options.trustProxy,
    return503OnClosing: false,
    forceCloseConnections: "idle",
    // Errors Fastify raises before routing (e.g. a malformed URL) get the envelope too.
    frameworkErrors: (error, request, reply) => {
      const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 400;
      void sendError(request as FastifyRequest, reply as FastifyReply, status, "invalid_request", error.message);
    },
  });
  app.decorate("metrics", metrics);

  let closing = false;
  app.addHook("preClose", async () => {
    closing = true;
  });

  await app.register(requestIdPlugin);
  app.addHook("onRequest", async (request, reply) => {
    if (!closing) return;
    reply.header("connection", "close");
    return sendError(request, reply, 503, "not_ready", "Shutting down; retry on another instance.");
  });
  await app.register(errorEnvelopePlugin);
  await app.register(metricsPlugin, { metrics });
  await app.register(cors, {
    origin: !options.corsOrigins || options.corsOrigins.includes("*") ? true : options.corsOrigins,
    methods: ["GET", "POST", "PATCH", "PUT", "DELETE", "OPTIONS"],
    allowedHeaders: ["authorization", "content-type", REQUEST_ID_HEADER],
    exposedHeaders: [REQUEST_ID_HEADER, "retry-after"],
    maxAge: 600,
  });
  await app.register(rateLimitPlugin, {
    ...options.rateLimit,
    redis: options.redis,
    keyPrefix: options.service,
    metrics,
  });
  await app.register(readinessPlugin, {
    db: options.db,
    timeoutMs: options.readyTimeoutMs,
    metrics,
    details: options.readyDetails ?? {},
  });

  app.addHook("onResponse", async (request, reply) => {
    const line = {
      status: reply.statusCode,
      method: request.method,
      route: routeLabel(request),
      ms: reply.elapsedTime,
    };
    if (reply.statusCode >= 500) request.log.error(line, "request failed");
    else request.log.debug(line, "request done");
  });

  return app;
}
