import { connectRedis, createLogger, type Redis, type SessionContext } from "@modelfaucet/server-kit";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Feature } from "../../apps/gateway/src/catalog/feature-catalog.js";
import { createUserRateLimits, type UserRateLimits } from "../../apps/gateway/src/limits/user-rate-limits.js";

/**
 * `pnpm bench:limits`: what per-minute limits add to one request — its
 * admission (a requests- and a tokens-per-minute counter) and the give-back
 * of its unused tokens at settlement — against a feature without limits, in
 * this process, with the counters in memory and, with REDIS_URL, in Redis
 * (a round trip per counter, in parallel). Every request is a different end
 * user's, as under load; none is refused. `pnpm bench` measures the same
 * end to end (its per-minute limits phase). Knob: BENCH_LIMITS_RUNS
 * (measured requests, default 20,000, after 2,000 to warm up).
 */
const runs = Number(process.env.BENCH_LIMITS_RUNS ?? 20_000);
const logger = createLogger({ level: "silent" });
// The limiter registers one onResponse hook; no server is needed to time it.
const app = { addHook: () => undefined } as unknown as FastifyInstance;
const feature = (limits: Record<string, number> | undefined) =>
  ({ appId: "app_bench", featureKey: "bench", policy: { route_preference: [], limits } }) as unknown as Feature;
const features = {
  none: feature(undefined),
  "RPM + TPM": feature({ requests_per_minute: 100_000, tokens_per_minute: 1_000_000_000 }),
};
const size = { promptTokens: 40, maxOutputTokens: 64 };
const usage = { inputTokens: 40, cachedInputTokens: 0, outputTokens: 20 };

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

async function time(store: string, redis: Redis | undefined, name: keyof typeof features): Promise<string> {
  const limits = createUserRateLimits(app, { redis, logger, appRates: async () => undefined });
  const run = `${Date.now()}`;
  const one = async (index: number) => {
    const session = { appId: "app_bench", endUserId: `usr_${run}_${index}` } as SessionContext;
    const request = { id: `req_${run}_${index}` } as FastifyRequest;
    const started = performance.now();
    await limits.admit(request, session, features[name], size);
    limits.settled({ requestId: request.id, session, usage } as Parameters<UserRateLimits["settled"]>[0]);
    return performance.now() - started;
  };
  for (let index = 0; index < 2000; index++) await one(-index - 1);
  const times: number[] = [];
  const cpuBefore = process.cpuUsage();
  for (let index = 0; index < runs; index++) times.push(await one(index));
  const cpu = process.cpuUsage(cpuBefore);
  times.sort((a, b) => a - b);
  const micros = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;
  return (
    `${store.padEnd(6)} ${name.padEnd(9)} p50 ${micros(percentile(times, 0.5))}, p99 ${micros(percentile(times, 0.99))}, ` +
    `CPU ${((cpu.user + cpu.system) / runs).toFixed(1)} µs per request (${runs} requests)`
  );
}

const redis = process.env.REDIS_URL ? connectRedis(process.env.REDIS_URL, logger) : undefined;
try {
  if (redis) await new Promise((resolve) => redis.once("ready", resolve));
  const stores: Array<[string, Redis | undefined]> = [
    ["memory", undefined],
    ...(redis ? [["Redis", redis] as [string, Redis]] : []),
  ];
  for (const [store, client] of stores) {
    for (const name of Object.keys(features) as Array<keyof typeof features>) {
      process.stdout.write(`${await time(store, client, name)}\n`);
    }
  }
} finally {
  redis?.disconnect();
}
