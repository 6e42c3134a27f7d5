import type { Billing } from "@modelfaucet/billing";
import { formatUsd } from "@modelfaucet/core";
import { activeRequestSpan, inChildSpan } from "@modelfaucet/server-kit";
import type { Tracer } from "@opentelemetry/api";
import { usageAttributes } from "./genai-attributes.js";

/**
 * `billing` with a span around each step of a request's charge — `hold`
 * (before upstream), `settle` or `release` — under the request's span. At
 * settlement the request span gets the GenAI usage attributes (model,
 * tokens, route, feature, price), on the stream path too: relayStream
 * settles before the stream's handler returns.
 */
export function traceBilling(billing: Billing, tracer: Tracer): Billing {
  return {
    hold: (...args: Parameters<Billing["hold"]>) =>
      inChildSpan(tracer, "hold", { "modelfaucet.hold_usd": formatUsd(args[1]) }, () => billing.hold(...args)),
    settle(hold, record) {
      activeRequestSpan()?.setAttributes(usageAttributes(record));
      return inChildSpan(tracer, "settle", { "modelfaucet.outcome": record.outcome }, () =>
        billing.settle(hold, record),
      );
    },
    release: (hold) => inChildSpan(tracer, "release", {}, () => billing.release(hold)),
  };
}
