import {
  context,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type Tracer,
} from "@opentelemetry/api";
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
} from "@opentelemetry/semantic-conventions";
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from "fastify";
import fp from "fastify-plugin";
import { errorType, REQUEST_SPAN_KEY } from "./request-span.js";

/** The probes an orchestrator or scraper calls every few seconds: no trace is worth their noise. */
const OPERATIONS_ROUTES: ReadonlySet<string> = new Set(["/health", "/ready", "/metrics"]);

export interface RequestTracingOptions {
  tracer: Tracer;
  /** Attributes a route's span starts with besides the HTTP ones (the Gateway's `gen_ai.operation.name`). */
  routeAttributes?: ((routeUrl: string) => Attributes) | undefined;
}

interface RequestTrace {
  span: Span;
  /** The span as the active one, and as the request's (activeRequestSpan). */
  context: Context;
  ended: boolean;
}

/**
 * One SERVER span per request to a route (unknown paths and the operations
 * probes get none), named by the route pattern (`POST /v1/chat/completions`),
 * with `request_id` — the `x-request-id` the client sees. Every trace starts
 * here: an incoming `traceparent` is not followed, since anyone on the
 * internet may call the Gateway and could otherwise join or silence traces.
 *
 * Route handlers run with the span active (wrapped when the route is
 * registered), so what they await — authentication, holds, upstream calls,
 * settlement — nests under it through the AsyncLocalStorage context manager.
 * The span ends in onResponse, or, for a reply the handler sent itself or
 * took over (`reply.hijack()` for server-sent events, which skips
 * onResponse), when the handler finishes: for a stream, once it has been
 * relayed and settled. A 5xx marks the span failed; a 4xx is the client's
 * and only gets `error.type` (the error code).
 */
export const requestTracingPlugin = fp<RequestTracingOptions>(
  async (app: FastifyInstance, options) => {
    const { tracer } = options;
    const traces = new WeakMap<FastifyRequest, RequestTrace>();
    const traced = (routeUrl: string | undefined): routeUrl is string =>
      routeUrl !== undefined && !OPERATIONS_ROUTES.has(routeUrl);

    app.addHook("onRoute", (route) => {
      if (!traced(route.url)) return;
      const handler = route.handler;
      route.handler = function tracedHandler(this: FastifyInstance, request, reply) {
        const current = traces.get(request);
        if (current === undefined) return handler.call(this, request, reply);
        const result: unknown = context.with(current.context, handler, this, request, reply);
        if (!(result instanceof Promise)) {
          endIfSent(current, reply);
          return result;
        }
        return result.then(
          (value: unknown) => {
            endIfSent(current, reply);
            return value;
          },
          (error: unknown) => {
            current.span.setAttribute(ATTR_ERROR_TYPE, errorType(error));
            throw error;
          },
        );
      } as RouteHandlerMethod;
    });

    app.addHook("onRequest", async (request) => {
      const routeUrl = request.routeOptions.url;
      if (!traced(routeUrl)) return;
      const span = tracer.startSpan(
        `${request.method} ${routeUrl}`,
        {
          kind: SpanKind.SERVER,
          attributes: {
            [ATTR_HTTP_REQUEST_METHOD]: request.method,
            [ATTR_HTTP_ROUTE]: routeUrl,
            request_id: request.id,
            ...options.routeAttributes?.(routeUrl),
          },
        },
        ROOT_CONTEXT,
      );
      const spanContext = trace.setSpan(ROOT_CONTEXT, span).setValue(REQUEST_SPAN_KEY, span);
      traces.set(request, { span, context: spanContext, ended: false });
    });

    app.addHook("onResponse", async (request, reply) => {
      const current = traces.get(request);
      if (current) end(current, reply.statusCode);
    });
  },
  { name: "modelfaucet-request-tracing" },
);

/** A handler that sent its own reply (or hijacked it) is done when it returns: onResponse may never come. */
function endIfSent(current: RequestTrace, reply: FastifyReply): void {
  if (reply.sent) end(current, reply.statusCode);
}

function end(current: RequestTrace, statusCode: number): void {
  if (current.ended) return;
  current.ended = true;
  current.span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, statusCode);
  if (statusCode >= 500) current.span.setStatus({ code: SpanStatusCode.ERROR });
  current.span.end();
}
