import { randomBytes } from "node:crypto";
import { testRedisUrl } from "@modelfaucet/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../logger.js";
import { connectRedis } from "../redis.js";
import { createRedisCacheStore } from "./redis-cache-store.js";

const logger = createLogger({ level: "silent" });

describe.runIf(testRedisUrl())("redis cache store", () => {
  const redis = connectRedis(testRedisUrl()!, logger);
  // No offline queue (connectRedis): commands sent before the connection is up fail, as misses.
  beforeAll(async () => {
    if (redis.status !== "ready") await new Promise((resolve) => redis.once("ready", resolve));
  });
  afterAll(() => redis.disconnect());
  // A prefix of this run's own: the Redis server is shared with other runs.
  const keyPrefix = `test-${randomBytes(6).toString("hex")}`;
  const store = createRedisCacheStore(redis, { keyPrefix, maxEntryBytes: 100, logger });

  it("answers what was stored, under its prefix, expiring with Redis's own TTL", async () => {
    expect(await store.set("k", "value", 60)).toBe(true);
    expect(await store.get("k")).toBe("value");
    expect(await redis.ttl(`modelfaucet:cache:${keyPrefix}:k`)).toBeGreaterThan(58);
    expect(await store.set("short", "v", 1)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await store.get("short")).toBeUndefined();
  });

  it("leaves out a value larger than one entry may be", async () => {
    expect(await store.set("big", "x".repeat(101), 60)).toBe(false);
    expect(await store.get("big")).toBeUndefined();
  });
});

describe("redis cache store without a server", () => {
  it("misses and skips writes instead of failing", async () => {
    // A port nothing listens on: commands fail at once (no offline queue).
    const dead = connectRedis("redis://127.0.0.1:1", logger);
    const store = createRedisCacheStore(dead, { keyPrefix: "x", maxEntryBytes: 100, logger });
    expect(await store.set("k", "v", 60)).toBe(false);
    expect(await store.get("k")).toBeUndefined();
    dead.disconnect();
  });
});
