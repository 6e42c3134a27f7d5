import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import type { ServiceMetrics } from "../metrics.js";
import type { RouteContract } from "../openapi/route-contract.js";

export const UNMATCHED_ROUTE = "unmatched";

const KNOWN_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** The route pattern (`/v1/apps/:id`), never the raw URL, so series stay bounded. */
export function routeLabel(request: FastifyRequest): string {
  return request.routeOptions.url ?? UNMATCHED_ROUTE;
}

/**
 * Records one request into the HTTP counter and histogram. Called from
 * onResponse, and by streaming handlers that hijack the reply (Fastify skips
 * onResponse for those).
 */
export function recordRequest(
  metrics: ServiceMetrics,
  request: FastifyRequest,
  statusCode: number,
  durationMs: number,
): void {
  const labels = {
    service: metrics.service,
    method: KNOWN_METHODS.has(request.method) ? request.method : "OTHER",
    route: routeLabel(request),
    status: String(statusCode),
  };
  metrics.httpRequests.inc(labels);
  metrics.httpDuration.observe(labels, durationMs);
}

const metricsRoute: RouteContract = {
  summary: "Prometheus metrics of this process",
  auth: "none",
  textType: "text/plain; version=0.0.4",
};

export interface MetricsPluginOptions {
  metrics: ServiceMetrics;
}

/** Counts every answered request and serves `GET /metrics` in Prometheus text format. */
export const metricsPlugin = fp<MetricsPluginOptions>(
  async (app: FastifyInstance, { metrics }) => {
    app.addHook("onResponse", async (request: FastifyRequest, reply: FastifyReply) => {
      recordRequest(metrics, request, reply.statusCode, reply.elapsedTime);
    });

    app.get("/metrics", { config: { contract: metricsRoute } }, async (_request, reply) => {
      const body = await metrics.registry.metrics();
      return reply.type(metrics.registry.contentType).send(body);
    });
  },
  { name: "modelfaucet-metrics" },
);
