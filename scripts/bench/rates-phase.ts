import { comparePolicy, type PolicyPhaseStack } from "./policy-phase.js";

/**
 * The cost of per-minute limits: a feature with none against one with a
 * requests- and a tokens-per-minute limit per end user that the load never
 * reaches (every request is counted, none refused; the tokens counted at
 * admission are given back at settlement). Counted in Redis when the
 * benchmark runs with REDIS_URL, else in the Gateway's memory.
 */
export function runRatesPhase(stack: PolicyPhaseStack) {
  return comparePolicy(stack, {
    title: `Per-minute limits (${process.env.REDIS_URL ? "Redis" : "memory"})`,
    off: "bench_unrated",
    on: "bench_rated",
    onPolicy: { limits: { requests_per_minute: 100_000, tokens_per_minute: 1_000_000_000 } },
    onLabel: "RPM + TPM",
  });
}
