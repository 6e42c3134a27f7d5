import cors from "@fastify/cors";
import { resolveRequestId } from "@modelfaucet/crypto";
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
import { clientErrorHandler } from "./plugins/client-error.js";
import { contentEncodingPlugin } from "./plugins/content-encoding.js";
import { watchDatabaseAvailability } from "./plugins/database-availability.js";
import { errorEnvelopePlugin, sendError } from "./plugins/error-envelope.js";
import { metricsPlugin, routeLabel } from "./plugins/metrics.js";
import type { DocumentInfo } from "./openapi/openapi-document.js";
import { openApiPlugin } from "./openapi/openapi-plugin.js";
import { rateLimitPlugin } from "./plugins/rate-limit.js";
import { readinessPlugin } from "./plugins/readiness.js";
import { REQUEST_ID_HEADER, requestIdPlugin } from "./plugins/request-id.js";
import { requestTracingPlugin, type RequestTracingOptions } from "./telemetry/request-tracing-plugin.js";

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
  /** Title and description of the service's OpenAPI document (`GET /openapi.json`); the title defaults to `service`. */
  openapi?: DocumentInfo;
  /** A span per request (startTracing); undefined when tracing is off, and then no hook is added. */
  tracing?: RequestTracingOptions | undefined;
}

declare module "fastify" {
  interface FastifyInstance {
    metrics: ServiceMetrics;
  }
}

// A hop count means: trust that many proxies nearest to us, whatever their address.
const trustHops = (hops: number) => (_address: string, hop: number) => hop < hops;

// Response headers a browser page may read: the request id, how long to wait before retrying, and whether to.
const EXPOSED_HEADERS = [REQUEST_ID_HEADER, "retry-after", "retry-after-ms", "x-should-retry"];

/**
 * A Fastify instance with the operations layer every service shares: request
 * ids, the error envelope, metrics, rate limits, CORS, /health, /ready and
 * /openapi.json (built from each route's `config.contract`).
 * The caller registers its routes on it, then listens (or injects in tests).
 */
export async function createServer(options: ServerOptions): Promise<FastifyInstance> {
  const metrics = createServiceMetrics(options.service);
  const log = options.logger.child({ service: options.service }) as FastifyBaseLogger;
  const app = Fastify({
    loggerInstance: log,
    // Our own onResponse hook logs every request at debug; failures are logged by the error envelope.
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
      const message = error.code === "FST_ERR_BAD_URL" ? "The request URL is malformed." : error.message;
      void sendError(request as FastifyRequest, reply as FastifyReply, status, "invalid_request", message);
    },
    // ...and so do requests Node's HTTP parser refuses before Fastify sees them.
    clientErrorHandler: clientErrorHandler(log),
  });
  app.decorate("metrics", metrics);
  // First: its onRoute hook must see every route, these plugins' own included.
  await app.register(openApiPlugin, options.openapi ?? { title: options.service });
  // Before every other hook and route: the request's span covers them, and its onRoute hook wraps every handler.
  if (options.tracing) await app.register(requestTracingPlugin, options.tracing);
  const availability = watchDatabaseAvailability(options.db, log);
  app.addHook("onClose", async () => availability.close());

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
  await app.register(errorEnvelopePlugin, { database: availability });
  await app.register(metricsPlugin, { metrics });
  await app.register(cors, {
    origin: !options.corsOrigins || options.corsOrigins.includes("*") ? true : options.corsOrigins,
    methods: ["GET", "POST", "PATCH", "PUT", "DELETE", "OPTIONS"],
    // No allowedHeaders: an allowed origin may send whatever headers its preflight asks for. Clients add
    // their own (the openai client x-stainless-*, OpenAI-Organization, Idempotency-Key; the AI SDK its
    // user agent), a fixed list breaks them one release at a time, and auth is a bearer token, never a cookie.
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  });
  await app.register(rateLimitPlugin, {
    ...options.rateLimit,
    redis: options.redis,
    keyPrefix: options.service,
    metrics,
  });
  // After CORS and the rate limit: a browser can read the refusal, and refusals count.
  await app.register(contentEncodingPlugin);
  await app.register(readinessPlugin, {
    db: options.db,
    timeoutMs: options.readyTimeoutMs,
    metrics,
    availability,
    details: options.readyDetails ?? {},
  });

  // Failures are logged where they are classified (the error envelope): here every request is a debug line.
  app.addHook("onResponse", async (request, reply) => {
    const line = {
      status: reply.statusCode,
      method: request.method,
      route: routeLabel(request),
      ms: reply.elapsedTime,
    };
    request.log.debug(line, "request done");
  });

  return app;
}
