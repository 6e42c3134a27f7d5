import type { LoadResult } from "./load.js";

/** What a policy phase needs of `pnpm bench`'s running stack. */
export interface PolicyPhaseStack {
  /** Creates a feature of app_demo through the developer API. */
  createFeature(manifest: Record<string, unknown>): Promise<void>;
  /** One request of `body` through the Gateway: its HTTP status. */
  once(body: unknown): Promise<number>;
  /** A load run of `body` through the Gateway, at 1 in flight or at many connections. */
  load(body: unknown, shape: "one" | "many"): Promise<LoadResult>;
  concurrency: number;
}

export interface PolicyComparison {
  /** Names the summary lines, e.g. "Per-minute limits". */
  title: string;
  /** Feature keys: the policy off and on. */
  off: string;
  on: string;
  /** What the `on` feature's policy adds, and how the summary calls it. */
  onPolicy: Record<string, unknown>;
  onLabel: string;
}

/**
 * The cost of one policy: the same chat request under a feature without it
 * and under one with it, at 1 in flight (p50) and at many connections
 * (billed req/s), interleaved over two rounds so drift on the machine is
 * shared.
 */
export async function comparePolicy(stack: PolicyPhaseStack, comparison: PolicyComparison) {
  const policy = { route_preference: ["platform_pool"], privacy: "standard", default_model: "mock-small" };
  const pricing = { markup_percent: 30, channel_share_bps: 4000 };
  const { off, on } = comparison;
  await stack.createFeature({ feature_key: off, display_name: off, policy, pricing });
  await stack.createFeature({
    feature_key: on,
    display_name: on,
    policy: { ...policy, ...comparison.onPolicy },
    pricing,
  });
  const body = (featureKey: string) => ({
    model: "mock-small",
    max_tokens: 64,
    messages: [{ role: "user", content: "Benchmark me, briefly." }],
    metadata: { feature_key: featureKey },
  });
  // The Gateway re-reads an app's features within 5 s: wait until both answer.
  for (const featureKey of [off, on]) {
    for (let tries = 0; (await stack.once(body(featureKey))) !== 200; tries++) {
      if (tries === 40) throw new Error(`feature ${featureKey} never answered`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  const results: Record<string, LoadResult> = {};
  const name = (featureKey: string, shape: string, round: number) => `gateway ${featureKey} ${shape} #${round}`;
  const many = `${stack.concurrency} conn`;
  for (const round of [1, 2]) {
    for (const featureKey of [off, on]) {
      results[name(featureKey, "1 in flight", round)] = await stack.load(body(featureKey), "one");
      results[name(featureKey, many, round)] = await stack.load(body(featureKey), "many");
    }
  }
  const per = (shape: string, pick: (result: LoadResult) => number, digits: number) =>
    [1, 2]
      .map((round) => [off, on].map((featureKey) => pick(results[name(featureKey, shape, round)]!).toFixed(digits)))
      .map(([without, withIt]) => `${without} → ${withIt}`)
      .join(", ");
  const change = `(none → ${comparison.onLabel})`;
  const summary = [
    `${comparison.title} p50 at 1 in flight ${change}: ${per("1 in flight", (r) => r.p50, 2)} ms (rounds 1, 2)`,
    `${comparison.title} billed req/s at ${many} ${change}: ${per(many, (r) => r.rps, 0)} (rounds 1, 2)`,
  ];
  return { results, summary };
}
