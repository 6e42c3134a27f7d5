import { openPostgres, type Database } from "@modelfaucet/db";
import { createTestDatabase } from "@modelfaucet/db/testing";
import { captureLogger } from "@modelfaucet/server-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "./helpers/processes.js";
import { startRevenueStack, type RevenueStack } from "./helpers/revenue-stack.js";
import { tcpRelay } from "./helpers/tcp-relay.js";

// While the database is away, every request that needs it is 503
// service_unavailable with Retry-After — never 500 — and the log says so once
// when the outage starts and once when it ends, not once per request.

interface Outage {
  db: Database;
  start(): Promise<void>;
  end(): Promise<void>;
  close(): Promise<void>;
}

/** On PostgreSQL: the services reach it through a TCP relay the test cuts (open connections die, new ones are refused). */
async function postgresOutage(databaseUrl: string, direct: Database): Promise<Outage> {
  const port = await freePort();
  const relay = tcpRelay(port, new URL(databaseUrl));
  await relay.up();
  const viaRelay = new URL(databaseUrl);
  viaRelay.hostname = "127.0.0.1";
  viaRelay.port = String(port);
  const db = openPostgres({ url: viaRelay.toString(), poolMax: 4, connectTimeoutMs: 1000 });
  return {
    db,
    start: () => relay.down(),
    end: () => relay.up(),
    async close() {
      await db.close();
      await relay.down();
      await direct.close();
    },
  };
}

/**
 * On the embedded database, which cannot go away: every call is switched, for
 * the outage, to a PostgreSQL adapter pointed at a port nobody listens on —
 * the driver's real refusal, through the real adapter.
 */
async function embeddedOutage(embedded: Database): Promise<Outage> {
  const nowhere = openPostgres({ url: `postgres://mf@127.0.0.1:${await freePort()}/gone`, connectTimeoutMs: 1000 });
  let current = embedded;
  const db: Database = {
    kind: embedded.kind,
    query: (sql, params) => current.query(sql, params),
    exec: (sql) => current.exec(sql),
    transaction: (work) => current.transaction(work),
    close: async () => {},
  };
  return {
    db,
    start: async () => {
      current = nowhere;
    },
    end: async () => {
      current = embedded;
    },
    async close() {
      await nowhere.close();
      await embedded.close();
    },
  };
}

const OUTAGE_MS = 3000;
const SERVICES = ["@modelfaucet/api", "@modelfaucet/gateway"];

let outage: Outage;
let stack: RevenueStack;
const { logger, lines } = captureLogger("info");
beforeAll(async () => {
  const { db, databaseUrl } = await createTestDatabase();
  outage = databaseUrl ? await postgresOutage(databaseUrl, db) : await embeddedOutage(db);
  stack = await startRevenueStack(outage.db, {}, { logger });
});
afterAll(async () => {
  await stack?.close();
  await outage?.close();
});

const logged = () => {
  logger.flush();
  return lines.map((line) => JSON.parse(line) as { level: number; msg: string; service?: string });
};

describe("a database outage", () => {
  it("answers chat, wallet and session requests 503 with Retry-After, and logs one line per state change", async () => {
    const { token } = await stack.user("outage-user", "1.00");
    const ask = { model: "mock-small", max_tokens: 16, messages: [{ role: "user", content: "hi" }] };
    const requests: Record<string, () => Promise<Response>> = {
      chat: () =>
        fetch(`${stack.gatewayUrl}/v1/chat/completions`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify(ask),
        }),
      stream: () =>
        fetch(`${stack.gatewayUrl}/v1/chat/completions`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({ ...ask, stream: true }),
        }),
      wallet: () => fetch(`${stack.apiUrl}/v1/user/wallet`, { headers: { authorization: `Bearer ${token}` } }),
      session: () =>
        fetch(`${stack.apiUrl}/v1/sessions`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ public_app_id: "app_demo", external_user_id: `someone-new-${Math.random()}` }),
        }),
    };
    expect((await requests.chat!()).status).toBe(200);
    const before = logged().length;

    await outage.start();
    const answers: Array<{
      name: string;
      status: number;
      retryAfter: string | null;
      body: unknown;
      id: string | null;
    }> = [];
    const until = Date.now() + OUTAGE_MS;
    while (Date.now() < until) {
      await Promise.all(
        Object.entries(requests).map(async ([name, send]) => {
          const response = await send();
          answers.push({
            name,
            status: response.status,
            retryAfter: response.headers.get("retry-after"),
            body: await response.json(),
            id: response.headers.get("x-request-id"),
          });
        }),
      );
    }
    const ready = await fetch(`${stack.gatewayUrl}/ready`);
    await outage.end();

    // Every request met the outage (the Gateway's 2 s session cache does not spare a chat: its hold needs the database).
    expect(answers.length).toBeGreaterThanOrEqual(4 * 5);
    for (const answer of answers) {
      expect(answer, answer.name).toMatchObject({
        status: 503,
        retryAfter: "5",
        body: { error: { code: "service_unavailable", type: "server_error", request_id: answer.id } },
      });
    }
    expect(ready.status).toBe(503);

    // Back without a restart.
    const deadline = Date.now() + 10_000;
    let status = 0;
    while (status !== 200 && Date.now() < deadline) {
      status = (await requests.chat!()).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(200);
    for (const name of ["wallet", "session"]) expect((await requests[name]!()).status).toBe(200);
    // The watch notices the end within its probe interval (1 s).
    await new Promise((resolve) => setTimeout(resolve, 1500));

    const during = logged().slice(before);
    expect(during.filter((entry) => entry.level >= 50)).toEqual([]);
    for (const service of SERVICES) {
      const changes = during.filter((entry) => entry.service === service && entry.level >= 30);
      expect(changes.map((entry) => [entry.level, entry.msg.split(";")[0]])).toEqual([
        [40, "database unavailable"],
        [30, "database available again"],
      ]);
    }
    expect(during.length).toBeLessThanOrEqual(SERVICES.length * 2);
  });
});
