import type { Billing } from "@modelfaucet/billing";
import {
  startTracing,
  type Config,
  type RequestTracingOptions,
  type ServiceMetrics,
  type SessionAuthenticator,
} from "@modelfaucet/server-kit";
import type { SpanProcessor } from "@modelfaucet/server-kit";
import type { AttemptTracer } from "../reliability/run-on-routes.js";
import { routeOperationAttributes } from "./genai-attributes.js";
import { attemptTracer } from "./trace-attempt.js";
import { traceBilling } from "./trace-billing.js";
import { traceSessions } from "./trace-sessions.js";
import { countUsage, registerUsageCounters } from "./usage-counters.js";

export interface GatewayTracingOptions {
  /**
   * Where spans go instead of the OTLP exporter (tests: a SimpleSpanProcessor
   * over an InMemorySpanExporter). Tracing is still on only when
   * OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set.
   */
  spanProcessor?: SpanProcessor | undefined;
}

/**
 * The Gateway's traces and usage counters, applied by decorating what
 * buildGateway wires together — the session authenticator, billing, the
 * upstream attempt — so the routes carry no telemetry code. With tracing
 * off every decorator but the counters is left out: the request path runs
 * exactly as without this file.
 */
export function gatewayTelemetry(service: string, config: Config, options: GatewayTracingOptions = {}) {
  const tracing = startTracing(config, { service, spanProcessor: options.spanProcessor });
  const tracer = tracing?.tracer;
  return {
    /** createServer's request spans; undefined when tracing is off. */
    requestTracing: tracer && ({ tracer, routeAttributes: routeOperationAttributes } satisfies RequestTracingOptions),
    sessions: (sessions: SessionAuthenticator) => (tracer ? traceSessions(sessions, tracer) : sessions),
    /** Counts every settlement into /metrics; traces hold, settle and release when tracing is on. */
    billing(billing: Billing, metrics: ServiceMetrics): Billing {
      const counted = countUsage(billing, registerUsageCounters(metrics));
      return tracer ? traceBilling(counted, tracer) : counted;
    },
    traceAttempt: (tracer && attemptTracer(tracer)) satisfies AttemptTracer | undefined,
    /** Exports the spans still queued (onClose). */
    shutdown: async () => tracing?.shutdown(),
  };
}
