import { DEMO } from "@modelfaucet/db";
import { createTestDatabase, type TestDatabase } from "@modelfaucet/db/testing";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertSyntheticUsage } from "./helpers/synthetic-usage.js";
import { ADMIN_TOKEN, testApi } from "./helpers/services.js";

/** A CSV report asked for without `from` / `to` covers the last 30 days. */

const DAY_MS = 86_400_000;

let database: TestDatabase;
let api: FastifyInstance;

beforeAll(async () => {
  database = await createTestDatabase();
  api = await testApi(database.db);
  for (const [prefix, daysAgo] of [
    ["rng_old", 31],
    ["rng_recent", 29],
  ] as const) {
    await insertSyntheticUsage(database.db, {
      appId: DEMO.appId,
      developerId: DEMO.developerId,
      count: 1,
      newest: new Date(Date.now() - daysAgo * DAY_MS),
      stepMicroseconds: 1,
      prefix,
    });
  }
});
afterAll(async () => {
  await api.close();
  await database.db.close();
});

const report = (query: string) =>
  api.inject({ url: `/v1/admin/reports/usage.csv${query}`, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
const day = (date: Date) => date.toISOString().slice(0, 10);

describe("report periods", () => {
  it("default to the last 30 days", async () => {
    const response = await report("");
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain("req_rng_recent_1");
    expect(response.body).not.toContain("req_rng_old_1");
    const now = new Date();
    expect(response.headers["content-disposition"]).toBe(
      `attachment; filename="usage_${day(new Date(now.getTime() - 30 * DAY_MS))}_${day(now)}.csv"`,
    );
  });

  it("default `from` to 30 days before a given `to`, and honour an explicit `from`", async () => {
    const to = day(new Date(Date.now() - 20 * DAY_MS));
    const fromTo = await report(`?to=${to}`);
    expect(fromTo.headers["content-disposition"]).toContain(
      `usage_${day(new Date(Date.parse(to) - 30 * DAY_MS))}_${to}.csv`,
    );
    const wide = await report(`?from=${day(new Date(Date.now() - 40 * DAY_MS))}`);
    expect(wide.body).toContain("req_rng_old_1");
    expect(wide.body).toContain("req_rng_recent_1");
  });
});
