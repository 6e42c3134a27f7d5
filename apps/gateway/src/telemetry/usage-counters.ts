import type { Billing, UsageRecord } from "@modelfaucet/billing";
import { formatUsd } from "@modelfaucet/core";
import { serviceCounter, type ServiceMetrics } from "@modelfaucet/server-kit";

/**
 * Token and spend counters of settled requests, on the Gateway's /metrics:
 *
 * - `modelfaucet_tokens_total{service,route,model}`: input + output tokens billed;
 * - `modelfaucet_spend_usd_total{service,route,model}`: what end users were charged (retail), USD.
 *
 * `route` is the route mode (platform, developer_key, byok, local: four
 * values) and `model` a catalog id the Gateway validated before any upstream
 * call, so the series stay bounded by the catalog. The spend is each
 * request's exact amount converted to a double once: a counter for rates
 * and alerts, never read back as money (the ledger is the record).
 */
export function registerUsageCounters(metrics: ServiceMetrics) {
  const labelNames = ["route", "model"] as const;
  const tokens = serviceCounter(metrics, {
    name: "modelfaucet_tokens_total",
    help: "Input plus output tokens of settled requests, by route mode and catalog model.",
    labelNames,
  });
  const spend = serviceCounter(metrics, {
    name: "modelfaucet_spend_usd_total",
    help: "USD charged to end users (retail) for settled requests, by route mode and catalog model.",
    labelNames,
  });
  return {
    settled(record: UsageRecord): void {
      const labels = { route: record.routeMode, model: record.model };
      tokens.inc(labels, record.usage.inputTokens + record.usage.outputTokens);
      spend.inc(labels, Number(formatUsd(record.charge.retail)));
    },
  };
}

export type UsageCounters = ReturnType<typeof registerUsageCounters>;

/** `billing` counting every settlement that committed (a failed one charged nothing, so counts nothing). */
export function countUsage(billing: Billing, counters: UsageCounters): Billing {
  return {
    hold: (...args: Parameters<Billing["hold"]>) => billing.hold(...args),
    async settle(hold, record) {
      const settled = await billing.settle(hold, record);
      counters.settled(record);
      return settled;
    },
    release: (hold) => billing.release(hold),
  };
}
