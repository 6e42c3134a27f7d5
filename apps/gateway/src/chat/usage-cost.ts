import { formatUsd } from "@modelfaucet/core";

/**
 * `usage` with `cost` added: the retail price in USD as a JSON number, the
 * way OpenRouter's clients read it (CONTRACT.md). Converted once from the
 * exact units, so it is `modelfaucet.price_usd` to the nearest double; money
 * is never computed from it.
 */
export function withCost<Usage extends object>(usage: Usage, retailUnits: bigint): Usage & { cost: number } {
  return { ...usage, cost: Number(formatUsd(retailUnits)) };
}

/** The upstream's own `usage` object when it sent one (kept as sent: fields we do not know pass through), else `ours`. */
export function upstreamUsageOr(upstream: unknown, ours: object): object {
  return typeof upstream === "object" && upstream !== null && !Array.isArray(upstream) ? upstream : ours;
}
