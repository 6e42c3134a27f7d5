// Developer usage views: cursor pagination that never skips or repeats a row
// (even when many rows share one millisecond), date ranges, and revenue
// grouped by day / feature / route mode / model.
import { formatUsd } from "@modelfaucet/core";
import { createTestDatabase, type TestDatabase } from "@modelfaucet/db/testing";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEVELOPER_ADMIN_TOKEN } from "./helpers/revenue-stack.js";
import { testApi } from "./helpers/services.js";
import { insertSyntheticUsage, SYNTHETIC_DEVELOPER_UNITS, SYNTHETIC_RETAIL_UNITS } from "./helpers/synthetic-usage.js";

let database: TestDatabase;
let api: FastifyInstance;
const NEWEST = new Date("2026-03-10T12:00:00.000Z");

beforeAll(async () => {
  database = await createTestDatabase();
  api = await testApi(database.db, { DEVELOPER_ADMIN_TOKEN });
  await database.db.query(
    "INSERT INTO apps (id, developer_id, name, session_mode) VALUES ('app_views', 'dev_demo', 'Views', 'public')",
  );
  // 700 events one microsecond apart (all inside one millisecond), then 300 an hour apart over 12.5 days.
  await insertSyntheticUsage(database.db, {
    appId: "app_views",
    developerId: "dev_demo",
    count: 700,
    newest: NEWEST,
    stepMicroseconds: 1,
    prefix: "dense",
  });
  await insertSyntheticUsage(database.db, {
    appId: "app_views",
    developerId: "dev_demo",
    count: 300,
    newest: new Date(NEWEST.getTime() - 3_600_000),
    stepMicroseconds: 3_600_000_000,
    prefix: "hourly",
  });
});
afterAll(async () => {
  await api.close();
  await database.db.close();
});

const get = (url: string) =>
  api.inject({ method: "GET", url, headers: { authorization: `Bearer ${DEVELOPER_ADMIN_TOKEN}` } });

interface UsagePage {
  items: Array<{ request_id: string; created_at: string }>;
  next_cursor: string | null;
}

async function walk(query: string, limit: number): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const response = await get(`/v1/apps/app_views/usage?limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ""}`);
    expect(response.statusCode).toBe(200);
    const page = response.json<UsagePage>();
    seen.push(...page.items.map((item) => item.request_id));
    cursor = page.next_cursor;
  } while (cursor);
  return seen;
}

describe("GET /v1/apps/:publicAppId/usage", () => {
  it("walks every event exactly once, newest first, across rows sharing a millisecond", async () => {
    const seen = await walk("", 37);
    expect(seen).toHaveLength(1000);
    expect(new Set(seen).size).toBe(1000);
    expect(seen[0]).toBe("req_dense_700");
    expect(seen[699]).toBe("req_dense_1");
    expect(seen[700]).toBe("req_hourly_300");
  });

  it("filters by date range (from inclusive, to exclusive)", async () => {
    const from = new Date(NEWEST.getTime() - 24 * 3_600_000).toISOString();
    const to = new Date(NEWEST.getTime() - 3_600_000).toISOString();
    const seen = await walk(`&from=${from}&to=${to}`, 10);
    // Hourly events from 24 h to 2 h before NEWEST: 23 of them.
    expect(seen).toHaveLength(23);
    expect(seen.every((id) => id.startsWith("req_hourly_"))).toBe(true);
  });

  it("refuses a forged cursor with 400", async () => {
    for (const cursor of ["nonsense", Buffer.from('["not a date","x"]').toString("base64url")]) {
      const response = await get(`/v1/apps/app_views/usage?cursor=${cursor}`);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ error: { code: "invalid_request" } });
    }
  });
});

describe("GET /v1/developers/:id/revenue", () => {
  const usd = (events: number) => formatUsd(BigInt(events) * SYNTHETIC_RETAIL_UNITS);

  it("totals a date range", async () => {
    const from = new Date(NEWEST.getTime() - 1000).toISOString();
    const response = await get(`/v1/developers/dev_demo/revenue?from=${from}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      requests: 700,
      retail_usd: usd(700),
      earned_usd: formatUsd(700n * SYNTHETIC_DEVELOPER_UNITS),
    });
  });

  it.each([
    ["route_mode", ["byok", "developer_key", "local", "platform"]],
    ["model", ["mock-large", "mock-small"]],
    ["feature", ["chat", "search", "summaries"]],
  ])("groups by %s", async (groupBy, keys) => {
    const response = await get(`/v1/developers/dev_demo/revenue?group_by=${groupBy}&from=2026-01-01T00:00:00Z`);
    expect(response.statusCode).toBe(200);
    const body = response.json<{ requests: number; groups: Array<{ key: string; requests: number }> }>();
    expect(body.groups.map((group) => group.key)).toEqual(keys);
    expect(body.groups.reduce((sum, group) => sum + group.requests, 0)).toBe(body.requests);
    expect(body.requests).toBe(1000);
  });

  it("groups by UTC day", async () => {
    const response = await get(`/v1/developers/dev_demo/revenue?group_by=day&from=2026-03-09T00:00:00Z`);
    const body = response.json<{ groups: Array<{ key: string; requests: number; retail_usd: string }> }>();
    // 2026-03-09: hourly events at 00:00 … 23:00 (24); 2026-03-10: 00:00 … 11:00 (12) and the 700 dense ones.
    expect(body.groups).toEqual([
      { key: "2026-03-09", requests: 24, retail_usd: usd(24), earned_usd: expect.any(String) },
      { key: "2026-03-10", requests: 712, retail_usd: usd(712), earned_usd: expect.any(String) },
    ]);
  });

  it("refuses an unknown grouping with 400", async () => {
    const response = await get("/v1/developers/dev_demo/revenue?group_by=weather");
    expect(response.statusCode).toBe(400);
    expect(response.json<{ error: { message: string } }>().error.message).toContain("group_by");
  });
});
