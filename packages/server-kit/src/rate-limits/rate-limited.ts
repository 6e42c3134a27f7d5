import { AppError } from "@modelfaucet/core";
import type { FastifyInstance } from "fastify";
import { routeLabel } from "../plugins/metrics.js";

/**
 * The refusal of every rate limit, thrown: 429 `rate_limited`. With
 * `retryAfterMs` the answer carries `Retry-After` (whole seconds, at least 1)
 * and `retry-after-ms` (exact); without it the request can never pass as it
 * is (it alone is above the limit), and `x-should-retry: false` tells
 * OpenAI's clients not to retry it.
 */
export class RateLimitedError extends AppError {
  readonly retryAfterMs: number | undefined;

  constructor(message: string, retryAfterMs?: number) {
    const waitMs = retryAfterMs === undefined ? undefined : Math.max(Math.ceil(retryAfterMs), 0);
    super("rate_limited", message, {
      ...(waitMs === undefined ? {} : { retryAfterSeconds: Math.max(Math.ceil(waitMs / 1000), 1) }),
    });
    this.retryAfterMs = waitMs;
  }
}

/**
 * Every RateLimitedError, wherever thrown (a hook or a route), is counted in
 * `modelfaucet_rate_limited_total{service,route}` and gets its headers here;
 * the error envelope (and Retry-After) follows in the error handler.
 */
export function countRateLimitRefusals(app: FastifyInstance): void {
  app.addHook("onError", async (request, reply, error) => {
    if (!(error instanceof RateLimitedError)) return;
    const { metrics } = request.server;
    metrics.rateLimited.inc({ service: metrics.service, route: routeLabel(request) });
    if (error.retryAfterMs === undefined) reply.header("x-should-retry", "false");
    else reply.header("retry-after-ms", String(error.retryAfterMs));
  });
}
