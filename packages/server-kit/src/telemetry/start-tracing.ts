import { context, type Tracer } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, NodeTracerProvider, type SpanProcessor } from "@opentelemetry/sdk-trace-node";
import { ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";
import type { Config } from "../config/load-config.js";

export type { SpanProcessor };

/** A service's tracer and the provider behind it. */
export interface Tracing {
  tracer: Tracer;
  /** Ends tracing: the spans still queued are exported first (onClose). */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  /** Package name: the `service.name` unless OTEL_SERVICE_NAME (or OTEL_RESOURCE_ATTRIBUTES) names another. */
  service: string;
  /** Where spans go instead of the OTLP exporter (tests: an in-memory exporter). Tracing is still switched by config. */
  spanProcessor?: SpanProcessor | undefined;
}

/**
 * The OTLP/HTTP traces URL the configuration asks for, or undefined when
 * tracing is off: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as given, else
 * OTEL_EXPORTER_OTLP_ENDPOINT with `v1/traces` appended (the OTLP exporter
 * specification's rule for the signal-wide endpoint).
 */
export function otlpTracesUrl(config: Config): string | undefined {
  if (config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  const endpoint = config.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint) return undefined;
  return `${endpoint.endsWith("/") ? endpoint : `${endpoint}/`}v1/traces`;
}

/**
 * Starts tracing for one service when the configuration asks for it, else
 * answers undefined — and then nothing of OpenTelemetry runs on a request
 * (the callers register no hook and wrap nothing).
 *
 * Each service gets a provider of its own, not the global one, so the
 * all-in-one process (API and Gateway together) and tests building many
 * gateways do not share or replace each other's exporters. Only the context
 * manager is process-wide (AsyncLocalStorage: a span started in a request
 * is the parent of the spans its awaited calls start); one already
 * registered (say, by an OpenTelemetry SDK the operator preloads) is kept.
 * Sampling, batching and limits follow the standard OTEL_* variables, read
 * by the SDK.
 */
export function startTracing(config: Config, options: TracingOptions): Tracing | undefined {
  const url = otlpTracesUrl(config);
  if (url === undefined) return undefined;
  registerContextManager();
  const processor = options.spanProcessor ?? new BatchSpanProcessor(new OTLPTraceExporter({ url }));
  const provider = new NodeTracerProvider({
    // Later resources win: the SDK's defaults, then the package name, then OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES.
    resource: defaultResource()
      .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.service }))
      .merge(detectResources({ detectors: [envDetector] })),
    spanProcessors: [processor],
  });
  return {
    tracer: provider.getTracer(options.service),
    shutdown: () => provider.shutdown(),
  };
}

let contextManagerRegistered = false;

function registerContextManager(): void {
  if (contextManagerRegistered) return;
  contextManagerRegistered = true;
  const manager = new AsyncLocalStorageContextManager();
  // false: another one was registered first; it is used, and ours is never enabled.
  if (context.setGlobalContextManager(manager)) manager.enable();
}
