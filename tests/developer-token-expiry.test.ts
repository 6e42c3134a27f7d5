import { DEMO } from "@modelfaucet/db";
import { createTestDatabase, type TestDatabase } from "@modelfaucet/db/testing";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testApi } from "./helpers/services.js";

/** Developer tokens always expire: 90 days by default, at most 365 days; never "never". */

const DEVELOPER_ADMIN_TOKEN = "test-developer-admin-token-0123456789";
const DAY_MS = 86_400_000;

let database: TestDatabase;
let api: FastifyInstance;

beforeAll(async () => {
  database = await createTestDatabase();
  api = await testApi(database.db, { DEVELOPER_ADMIN_TOKEN });
});
afterAll(async () => {
  await api.close();
  await database.db.close();
});

const createToken = (extra: Record<string, unknown> = {}) =>
  api.inject({
    method: "POST",
    url: "/v1/developer/tokens",
    headers: { authorization: `Bearer ${DEVELOPER_ADMIN_TOKEN}` },
    payload: { developer_id: DEMO.developerId, name: "expiry", scopes: ["developer:apps:read"], ...extra },
  });

const inDays = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString();

describe("developer token expiry", () => {
  it("defaults to 90 days, in the response and the database", async () => {
    const before = Date.now();
    const response = await createToken();
    expect(response.statusCode).toBe(201);
    const { id, expires_at: expiresAt } = response.json<{ id: string; expires_at: string }>();
    const at = Date.parse(expiresAt);
    expect(at).toBeGreaterThanOrEqual(before + 90 * DAY_MS);
    expect(at).toBeLessThanOrEqual(Date.now() + 90 * DAY_MS);
    const { rows } = await database.db.query<{ expires_at: Date }>(
      "SELECT expires_at FROM developer_tokens WHERE id = $1",
      [id],
    );
    expect(rows[0]!.expires_at.toISOString()).toBe(expiresAt);
  });

  it("takes an explicit expiry up to 365 days ahead", async () => {
    const at = inDays(364);
    const response = await createToken({ expires_at: at });
    expect(response.statusCode).toBe(201);
    expect(response.json().expires_at).toBe(at);
  });

  it.each([
    ["beyond 365 days", inDays(366), "365 days"],
    ["in the past", inDays(-1), "future"],
    ["never (null)", null, "always expire"],
  ])("refuses an expiry %s with 400 naming expires_at", async (_label, expiresAt, hint) => {
    const response = await createToken({ expires_at: expiresAt });
    expect(response.statusCode).toBe(400);
    const { error } = response.json();
    expect(error.code).toBe("invalid_request");
    expect(`${error.param ?? ""} ${error.message}`).toContain("expires_at");
    expect(error.message).toContain(hint);
  });
});
