// Archiving an app stops its sessions at once, in the Gateway's session cache
// too: in one process (API and Gateway on one database handle, as in
// `pnpm start`) and across processes over Redis pub/sub or PostgreSQL
// LISTEN/NOTIFY. "Another process" is a Gateway on a database handle of its
// own, whose cache hears only what its channel brings.
import type { Database } from "@modelfaucet/db";
import { openPostgres } from "@modelfaucet/db";
import { createTestDatabase, testDatabaseTemplate, testRedisUrl, type TestDatabase } from "@modelfaucet/db/testing";
import {
  connectPostgresInvalidationChannel,
  connectRedisInvalidationChannel,
  connectRedis,
  createLogger,
  sessionInvalidationsOf,
  type InvalidationChannel,
} from "@modelfaucet/server-kit";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DEVELOPER_ADMIN_TOKEN } from "./helpers/revenue-stack.js";
import { testApi, testGateway } from "./helpers/services.js";

const logger = createLogger({ level: "silent" });
let database: TestDatabase;
let api: FastifyInstance;
const closers: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  database = await createTestDatabase();
  api = await testApi(database.db, { DEVELOPER_ADMIN_TOKEN });
});
afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await api.close();
  await database.db.close();
});

const asDeveloperAdmin = { authorization: `Bearer ${DEVELOPER_ADMIN_TOKEN}` };

/** A new public app with one feature, created over HTTP, and a session of one of its users. */
async function appWithSession(): Promise<{ appId: string; session: string }> {
  const created = await api.inject({
    method: "POST",
    url: "/v1/developer/apps",
    headers: asDeveloperAdmin,
    payload: { developer_id: "dev_demo", name: "Soon archived", session_mode: "public" },
  });
  const appId = created.json<{ public_app_id: string }>().public_app_id;
  const feature = await api.inject({
    method: "POST",
    url: `/v1/developer/apps/${appId}/features`,
    headers: asDeveloperAdmin,
    payload: {
      feature_key: "chat",
      display_name: "Chat",
      policy: { route_preference: ["platform_pool"], default_model: "mock-small", max_output_tokens: 64 },
      pricing: { mode: "usage_markup", markup_percent: 30, channel_share_bps: 4000, byok_gateway_fee_usd: "0" },
    },
  });
  expect(feature.statusCode).toBe(201);
  const minted = await api.inject({
    method: "POST",
    url: "/v1/sessions",
    payload: { public_app_id: appId, external_user_id: "user-1" },
  });
  return { appId, session: minted.json<{ session_token: string }>().session_token };
}

const listModels = (gateway: FastifyInstance, session: string) =>
  gateway.inject({ method: "GET", url: "/v1/models", headers: { authorization: `Bearer ${session}` } });

/**
 * Archive, then the very next Gateway request with the app's (cached) session
 * is refused. `heard` waits, where the channel makes no promise of order, until
 * the Gateway's process has heard of the archive.
 */
async function expectArchiveStopsSession(
  gateway: FastifyInstance,
  heard: (appId: string) => Promise<void> = async () => {},
): Promise<void> {
  const { appId, session } = await appWithSession();
  for (let i = 0; i < 3; i++) expect((await listModels(gateway, session)).statusCode).toBe(200);

  const archived = await api.inject({
    method: "DELETE",
    url: `/v1/developer/apps/${appId}`,
    headers: asDeveloperAdmin,
  });
  expect(archived.statusCode).toBe(200);
  await heard(appId);

  const refused = await listModels(gateway, session);
  expect(refused.statusCode).toBe(401);
  expect(refused.json()).toMatchObject({ error: { code: "invalid_session" } });
}

async function gatewayOn(db: Database): Promise<FastifyInstance> {
  const gateway = await testGateway(db);
  closers.push(() => gateway.close());
  return gateway;
}

async function connected(channel: InvalidationChannel): Promise<InvalidationChannel> {
  closers.push(() => channel.close());
  await channel.ready;
  return channel;
}

describe("archiving an app stops its sessions at once", () => {
  it("in one process: the Gateway's cache drops them with the archive", async () => {
    await expectArchiveStopsSession(await gatewayOn(database.db));
  });

  it("a session looked up while the archive commits is not cached as live", async () => {
    const invalidations = sessionInvalidationsOf(database.db);
    const before = invalidations.position();
    invalidations.apply({ appId: "app_raced" });
    expect(invalidations.isStale({ appId: "app_raced", sessionId: "ses_x" }, before)).toBe(true);
    expect(invalidations.isStale({ appId: "app_raced", sessionId: "ses_x" }, invalidations.position())).toBe(false);
  });

  it.runIf(testRedisUrl())("across processes over Redis pub/sub", async () => {
    const other: Database = openOtherHandle(database);
    const redisApi = connectRedis(testRedisUrl()!, logger);
    const redisGateway = connectRedis(testRedisUrl()!, logger);
    closers.push(async () => {
      redisApi.disconnect();
      redisGateway.disconnect();
    });
    await connected(connectRedisInvalidationChannel(sessionInvalidationsOf(database.db), redisApi, logger));
    await connected(connectRedisInvalidationChannel(sessionInvalidationsOf(other), redisGateway, logger));
    await expectArchiveStopsSession(await gatewayOn(other));
  });

  it.runIf(testDatabaseTemplate().kind === "postgres")("across processes over PostgreSQL LISTEN/NOTIFY", async () => {
    const url = database.databaseUrl!;
    const other = openOtherHandle(database);
    await connected(connectPostgresInvalidationChannel(sessionInvalidationsOf(database.db), database.db, url, logger));
    await connected(connectPostgresInvalidationChannel(sessionInvalidationsOf(other), other, url, logger));
    // Each listening backend forwards a NOTIFY on its own schedule, so the
    // API's echo does not prove the Gateway's arrived: it must within 1 s.
    const since = sessionInvalidationsOf(other).position();
    const heard = (appId: string) =>
      vi.waitFor(() => expect(sessionInvalidationsOf(other).isStale({ appId, sessionId: "-" }, since)).toBe(true), {
        timeout: 1000,
        interval: 1,
      });
    await expectArchiveStopsSession(await gatewayOn(other), heard);
  });
});

/** A database handle of another process: its own pool on PostgreSQL; on PGlite (one process only) a second handle object. */
function openOtherHandle(test: TestDatabase): Database {
  if (!test.databaseUrl) return { ...test.db, close: async () => {} };
  const db = openPostgres({ url: test.databaseUrl, poolMax: 2 });
  closers.unshift(() => db.close());
  return db;
}
