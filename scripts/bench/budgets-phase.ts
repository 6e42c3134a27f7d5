import type { LoadResult } from "./load.js";

/** What the budgets phase needs of `pnpm bench`'s running stack. */
export interface BudgetsPhaseStack {
  /** Creates a feature of app_demo through the developer API. */
  createFeature(manifest: Record<string, unknown>): Promise<void>;
  /** One request of `body` through the Gateway: its HTTP status. */
  once(body: unknown): Promise<number>;
  /** A load run of `body` through the Gateway, at 1 in flight or at many connections. */
  load(body: unknown, shape: "one" | "many"): Promise<LoadResult>;
  concurrency: number;
}

const FEATURES = { off: "bench_unbudgeted", on: "bench_budgeted" } as const;

/**
 * The cost of spending budgets: the same chat request under a feature with
 * none and under one with two that never run out — a daily USD budget per
 * end user, and a daily token budget shared by the whole feature (every
 * connection's holds then queue on the one counter row: the worst case).
 * Interleaved, two rounds each, so drift on the machine is shared.
 */
export async function runBudgetsPhase(stack: BudgetsPhaseStack) {
  const policy = { route_preference: ["platform_pool"], privacy: "standard", default_model: "mock-small" };
  const pricing = { markup_percent: 30, channel_share_bps: 4000 };
  await stack.createFeature({ feature_key: FEATURES.off, display_name: FEATURES.off, policy, pricing });
  const limits = {
    budgets: [
      { scope: "end_user", period: "day", max_usd: "100000.00" },
      { scope: "feature", period: "day", max_tokens: 1_000_000_000_000 },
    ],
  };
  await stack.createFeature({
    feature_key: FEATURES.on,
    display_name: FEATURES.on,
    policy: { ...policy, limits },
    pricing,
  });
  const body = (featureKey: string) => ({
    model: "mock-small",
    max_tokens: 64,
    messages: [{ role: "user", content: "Benchmark me, briefly." }],
    metadata: { feature_key: featureKey },
  });
  // The Gateway re-reads an app's features within 5 s: wait until both answer.
  for (const featureKey of Object.values(FEATURES)) {
    for (let tries = 0; (await stack.once(body(featureKey))) !== 200; tries++) {
      if (tries === 40) throw new Error(`feature ${featureKey} never answered`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  const results: Record<string, LoadResult> = {};
  const name = (featureKey: string, shape: string, round: number) => `gateway ${featureKey} ${shape} #${round}`;
  const many = `${stack.concurrency} conn`;
  for (const round of [1, 2]) {
    for (const featureKey of Object.values(FEATURES)) {
      results[name(featureKey, "1 in flight", round)] = await stack.load(body(featureKey), "one");
      results[name(featureKey, many, round)] = await stack.load(body(featureKey), "many");
    }
  }
  const per = (shape: string, pick: (result: LoadResult) => number, digits: number) =>
    [1, 2]
      .map((round) =>
        [FEATURES.off, FEATURES.on].map((featureKey) => pick(results[name(featureKey, shape, round)]!).toFixed(digits)),
      )
      .map(([off, on]) => `${off} → ${on}`)
      .join(", ");
  const summary = [
    `Spending budgets p50 at 1 in flight (none → two budgets): ${per("1 in flight", (r) => r.p50, 2)} ms (rounds 1, 2)`,
    `Spending budgets billed req/s at ${many} (none → two budgets): ${per(many, (r) => r.rps, 0)} (rounds 1, 2)`,
  ];
  return { results, summary };
}
