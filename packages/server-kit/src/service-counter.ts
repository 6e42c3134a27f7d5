import { Counter } from "prom-client";
import type { ServiceMetrics } from "./metrics.js";

export interface ServiceCounterOptions<Label extends string> {
  /** Prometheus name, ending in `_total`. */
  name: string;
  help: string;
  /** Labels besides `service`; keep their values to a short fixed list. */
  labelNames: readonly Label[];
}

/**
 * A counter on a service's own registry (so it appears on its /metrics),
 * labelled with the service like every other metric. For a metric one
 * service alone counts; apps need no prom-client of their own.
 */
export function serviceCounter<Label extends string>(metrics: ServiceMetrics, options: ServiceCounterOptions<Label>) {
  const counter = new Counter({
    name: options.name,
    help: options.help,
    labelNames: ["service", ...options.labelNames],
    registers: [metrics.registry],
  });
  return {
    /** Adds `value` (default 1; never negative: a counter only grows). */
    inc(labels: Record<Label, string>, value = 1): void {
      counter.inc({ ...labels, service: metrics.service }, value);
    },
  };
}

export type ServiceCounter<Label extends string> = ReturnType<typeof serviceCounter<Label>>;
