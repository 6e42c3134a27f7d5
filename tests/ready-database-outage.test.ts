import { openPostgres } from "@modelfaucet/db";
import { createTestDatabase, testDatabaseTemplate } from "@modelfaucet/db/testing";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "./helpers/processes.js";
import { testApi } from "./helpers/services.js";
import { tcpRelay } from "./helpers/tcp-relay.js";

describe.runIf(testDatabaseTemplate().kind === "postgres")("readiness through a PostgreSQL outage", () => {
  const closers: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
  });

  it("goes 503 within 2 s while PostgreSQL is away, stays up, and recovers without a restart", async () => {
    const { db: direct, databaseUrl } = await createTestDatabase();
    closers.push(() => direct.close());
    const target = new URL(databaseUrl!);
    const port = await freePort();
    const proxy = tcpRelay(port, target);
    await proxy.up();
    const viaProxy = new URL(databaseUrl!);
    viaProxy.hostname = "127.0.0.1";
    viaProxy.port = String(port);
    const db = openPostgres({ url: viaProxy.toString(), poolMax: 4, connectTimeoutMs: 1000 });
    closers.push(() => db.close());
    const api = await testApi(db);
    closers.push(() => api.close());

    expect((await api.inject({ url: "/ready" })).statusCode).toBe(200);

    await proxy.down();
    const started = Date.now();
    const down = await api.inject({ url: "/ready", headers: { "x-request-id": "outage-1" } });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(down.statusCode).toBe(503);
    expect(down.json()).toMatchObject({
      status: "not_ready",
      checks: { database: expect.stringMatching(/^failed/) },
      error: { code: "not_ready", request_id: "outage-1" },
    });
    expect(down.body).not.toContain(target.hostname + ":" + target.port);
    expect((await api.inject({ url: "/health" })).statusCode).toBe(200);

    await proxy.up();
    closers.push(() => proxy.down());
    const deadline = Date.now() + 10_000;
    let status = 0;
    while (Date.now() < deadline && status !== 200) {
      status = (await api.inject({ url: "/ready" })).statusCode;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(200);
  });
});
