import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createTestDatabase,
  testDatabaseTemplate,
  testRedisUrl,
  withDatabaseName,
  createEmptyTestDatabase,
} from "@modelfaucet/db/testing";
import { connectRedis, createLogger } from "@modelfaucet/server-kit";
import { afterAll, describe, expect, it } from "vitest";
import { parsePrometheusText } from "./helpers/prometheus-text.js";
import { freePort, spawnEntry, stop, waitForStatus, type Spawned } from "./helpers/processes.js";
import { testApi } from "./helpers/services.js";

const workDir = mkdtempSync(join(tmpdir(), "modelfaucet-rl-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe.runIf(testRedisUrl())("rate limits shared through Redis", () => {
  const processes: Spawned[] = [];
  afterAll(async () => {
    await Promise.all(processes.map(stop));
  });

  it("two API processes with a limit of 10 let exactly 10 of 30 requests through", async () => {
    const template = testDatabaseTemplate();
    const databaseUrl =
      template.kind === "postgres"
        ? withDatabaseName(template.adminUrl, await createEmptyTestDatabase(template))
        : undefined;
    const ports = [await freePort(), await freePort()];
    for (const [index, port] of ports.entries()) {
      processes.push(
        spawnEntry("apps/api/src/main.ts", [], {
          PORT_API: String(port),
          REDIS_URL: testRedisUrl()!,
          API_RATE_LIMIT_MAX_REQUESTS: "10",
          API_RATE_LIMIT_WINDOW_MS: "60000",
          // Each run counts under a client address of its own, so runs never share a bucket.
          TRUST_PROXY: "true",
          ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { MODELFAUCET_DATA_DIR: join(workDir, `data-${index}`) }),
        }),
      );
    }
    await Promise.all(ports.map((port) => waitForStatus(`http://127.0.0.1:${port}/metrics`, 200)));
    const client = `198.51.100.${Math.floor(Math.random() * 250) + 1}, 10.${process.pid % 250}.0.1`;
    const statuses = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        fetch(`http://127.0.0.1:${ports[i % 2]}/health`, { headers: { "x-forwarded-for": client } }).then(
          (r) => r.status,
        ),
      ),
    );
    expect(statuses.filter((status) => status === 200)).toHaveLength(10);
    expect(statuses.filter((status) => status === 429)).toHaveLength(20);
  });
});

describe("when Redis is unreachable", () => {
  it("keeps serving, limits in memory, logs it and shows it in metrics", async () => {
    const { db } = await createTestDatabase();
    const deadPort = await freePort();
    const logger = createLogger({ level: "silent" });
    const redis = connectRedis(`redis://127.0.0.1:${deadPort}`, logger);
    const app = await testApi(db, { API_RATE_LIMIT_MAX_REQUESTS: "3" }, { redis });
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await app.inject({ url: "/health" })).statusCode);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      const samples = parsePrometheusText((await app.inject({ url: "/metrics" })).body);
      expect(samples.find((s) => s.name === "modelfaucet_redis_up")?.value).toBe(0);
      expect(samples.find((s) => s.name === "modelfaucet_rate_limit_fallback_total")?.value).toBeGreaterThanOrEqual(5);
    } finally {
      await app.close();
      redis.disconnect();
      await db.close();
    }
  });
});
