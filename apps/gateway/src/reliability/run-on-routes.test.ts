import type { Hold } from "@modelfaucet/billing";
import { ProviderError } from "@modelfaucet/providers";
import { describe, expect, it } from "vitest";
import type { RouteAdapters } from "../routing/credential-providers.js";
import type { RouteCandidate } from "../routing/route-candidates.js";
import { CircuitBreakers } from "./circuit-breakers.js";
import { resolveRetryOptions } from "./retry-policy.js";
import { runOnRoutes, type Reliability } from "./run-on-routes.js";
import type { UpstreamMetrics } from "./upstream-metrics.js";

const subject = { key: "platform:mock", provider: "mock", routeMode: "platform" } as const;

function reliability(): Reliability & { outcomes: string[] } {
  const outcomes: string[] = [];
  const metrics = { attempt: (_provider: string, _mode: string, outcome: string) => outcomes.push(outcome) };
  return {
    breakers: new CircuitBreakers({ failureThreshold: 2, cooldownMs: 60_000 }),
    retry: resolveRetryOptions({ maxAttempts: 3, baseDelayMs: 0, maxDelayMs: 0 }),
    metrics: metrics as unknown as UpstreamMetrics,
    outcomes,
  };
}

const candidate: RouteCandidate = {
  routeMode: "platform",
  subject,
  credentialId: undefined,
  budgetAccountId: undefined,
  mayFallBack: false,
  adapters: async () => ({}) as RouteAdapters,
};

function run(target: Reliability, call: () => Promise<string>) {
  const hold: Hold = { usageEventId: "use_test", heldUnits: 1n };
  return runOnRoutes(target, {
    candidates: [candidate],
    endpoint: "chat completions",
    upstreamModel: "m",
    signal: new AbortController().signal,
    adapter: () => "adapter",
    holdAmount: () => 1n,
    hold: async () => hold,
    release: async () => undefined,
    call,
  });
}

describe("runOnRoutes and the circuit breaker", () => {
  it("never counts our own failure to build or encode a request against the upstream", async () => {
    const target = reliability();
    const ours = new RangeError("Maximum call stack size exceeded");
    for (let i = 0; i < 5; i++) {
      await expect(run(target, () => Promise.reject(ours))).rejects.toBe(ours);
    }
    // Not retried, labelled as ours, and the breaker is as if nothing happened.
    expect(target.outcomes).toEqual(Array(5).fill("internal_error"));
    expect(target.breakers.snapshot()).toEqual([]);
    await expect(run(target, async () => "answered")).resolves.toMatchObject({ result: "answered" });
  });

  it("counts a genuine upstream fault: the breaker opens at its threshold", async () => {
    const target = reliability();
    const refused = () => Promise.reject(new ProviderError("mock", "connection", "refused", { retryable: false }));
    await expect(run(target, refused)).rejects.toMatchObject({ code: "provider_error" });
    await expect(run(target, refused)).rejects.toMatchObject({ code: "provider_error" });
    expect(target.breakers.snapshot()).toMatchObject([{ state: "open", consecutiveFailures: 2 }]);
  });
});
