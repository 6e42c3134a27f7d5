import { hashToken } from "@modelfaucet/crypto";
import { createTestDatabase, type TestDatabase } from "@modelfaucet/db/testing";
import { captureLogger } from "@modelfaucet/server-kit/testing";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testApi } from "./helpers/services.js";

const DEVELOPER_ADMIN_TOKEN = "test-developer-admin-token-0123456789";

let database: TestDatabase;
let api: FastifyInstance;
let logLines: string[];
/** Every response body except the create responses, which alone may carry a token. */
const transcript: string[] = [];
/** Every token string this file was given. */
const issued: string[] = [];

async function call(token: string | undefined, method: string, url: string, payload?: object) {
  const response = await api.inject({
    method: method as "GET",
    url,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    ...(payload ? { payload } : {}),
  });
  return response;
}

/** A call whose response must never contain a token. */
async function listed(token: string | undefined, method: string, url: string, payload?: object) {
  const response = await call(token, method, url, payload);
  transcript.push(response.body, JSON.stringify(response.headers));
  return response;
}

async function createToken(creator: string, body: object) {
  const response = await call(creator, "POST", "/v1/developer/tokens", body);
  if (response.statusCode === 201) issued.push(response.json().token as string);
  else transcript.push(response.body);
  return response;
}

beforeAll(async () => {
  database = await createTestDatabase();
  const captured = captureLogger("debug");
  logLines = captured.lines;
  api = await testApi(database.db, { DEVELOPER_ADMIN_TOKEN }, { logger: captured.logger });
  await database.db.query("INSERT INTO developers (id, name, email) VALUES ('dev_other', 'Other', 'o@example.com')");
});
afterAll(async () => {
  await api.close();
  await database.db.close();
});

describe("developer tokens", () => {
  let consoleToken: string;
  let consoleTokenId: string;

  it("the bootstrap token creates a token for a named developer; the token is shown once", async () => {
    const response = await createToken(DEVELOPER_ADMIN_TOKEN, {
      developer_id: "dev_demo",
      name: "CI",
      scopes: ["developer:apps:read", "developer:apps:write", "developer:tokens:read", "developer:tokens:write"],
    });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body).toMatchObject({
      id: expect.stringMatching(/^tok_/),
      developer_id: "dev_demo",
      name: "CI",
      token: expect.stringMatching(/^mf_dev_[A-Za-z0-9_-]{40,}$/),
      expires_at: expect.any(String),
      last_used_at: null,
      revoked_at: null,
    });
    expect(body.token.startsWith(body.prefix)).toBe(true);
    expect(body.prefix.length).toBeLessThan(16);
    consoleToken = body.token;
    consoleTokenId = body.id;
    const { rows } = await database.db.query<{ token_hash: string }>(
      "SELECT token_hash FROM developer_tokens WHERE id = $1",
      [consoleTokenId],
    );
    expect(rows[0]!.token_hash).toBe(hashToken(consoleToken));
  });

  it("authenticates its own developer's routes and lists tokens by prefix only", async () => {
    const apps = await listed(consoleToken, "GET", "/v1/developer/apps");
    expect(apps.statusCode).toBe(200);
    expect((apps.json().items as Array<{ developer_id: string }>).every((app) => app.developer_id === "dev_demo")).toBe(
      true,
    );
    const tokens = await listed(consoleToken, "GET", "/v1/developer/tokens");
    expect(tokens.statusCode).toBe(200);
    const item = (tokens.json().items as Array<Record<string, unknown>>).find((token) => token.id === consoleTokenId);
    expect(item).toMatchObject({ prefix: expect.stringMatching(/^mf_dev_/), last_used_at: expect.any(String) });
    expect(item).not.toHaveProperty("token");
  });

  it("writes last_used_at at most once a minute", async () => {
    const lastUsed = async () =>
      (
        await database.db.query<{ last_used_at: Date }>("SELECT last_used_at FROM developer_tokens WHERE id = $1", [
          consoleTokenId,
        ])
      ).rows[0]!.last_used_at.getTime();
    const first = await lastUsed();
    await listed(consoleToken, "GET", "/v1/developer/apps");
    expect(await lastUsed()).toBe(first);
    await database.db.query("UPDATE developer_tokens SET last_used_at = now() - interval '2 minutes' WHERE id = $1", [
      consoleTokenId,
    ]);
    const stale = await lastUsed();
    await listed(consoleToken, "GET", "/v1/developer/apps");
    expect(await lastUsed()).toBeGreaterThan(stale);
  });

  it("refuses a missing scope with 403 forbidden, and scopes beyond the creator's own", async () => {
    const refused = await listed(consoleToken, "GET", "/v1/developer/provider-keys");
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe("forbidden");
    const escalate = await createToken(consoleToken, { name: "more", scopes: ["developer:provider_keys:read"] });
    expect(escalate.statusCode).toBe(403);
    const elsewhere = await createToken(consoleToken, {
      developer_id: "dev_other",
      name: "other",
      scopes: ["developer:apps:read"],
    });
    expect(elsewhere.statusCode).toBe(403);
  });

  it("lets a token with developer:tokens:write create tokens for its own developer", async () => {
    const created = await createToken(consoleToken, { name: "read only", scopes: ["developer:apps:read"] });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ developer_id: "dev_demo", scopes: ["developer:apps:read"] });
    const readOnly = created.json().token as string;
    expect((await listed(readOnly, "GET", "/v1/developer/apps")).statusCode).toBe(200);
    expect((await listed(readOnly, "POST", "/v1/developer/apps", { name: "x" })).statusCode).toBe(403);
  });

  it("validates the body: unknown scopes, no scopes, a past expiry", async () => {
    const base = { developer_id: "dev_demo", name: "bad" };
    for (const body of [
      { ...base, scopes: ["developer:everything"] },
      { ...base, scopes: [] },
      { ...base, scopes: ["developer:apps:read"], expires_at: "2001-01-01T00:00:00Z" },
    ]) {
      expect((await createToken(DEVELOPER_ADMIN_TOKEN, body)).statusCode).toBe(400);
    }
    expect(
      (await createToken(DEVELOPER_ADMIN_TOKEN, { name: "no developer", scopes: ["developer:apps:read"] })).statusCode,
    ).toBe(400);
  });

  it("stops an expired token with 401", async () => {
    const created = await createToken(DEVELOPER_ADMIN_TOKEN, {
      developer_id: "dev_demo",
      name: "short-lived",
      scopes: ["developer:apps:read"],
      expires_at: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(created.statusCode).toBe(201);
    const token = created.json().token as string;
    expect((await listed(token, "GET", "/v1/developer/apps")).statusCode).toBe(200);
    await database.db.query("UPDATE developer_tokens SET expires_at = now() - interval '1 second' WHERE id = $1", [
      created.json().id,
    ]);
    const expired = await listed(token, "GET", "/v1/developer/apps");
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error.code).toBe("unauthorized");
  });

  it("revokes: 404 for another developer's token, then the token stops at once with 401", async () => {
    const other = await createToken(DEVELOPER_ADMIN_TOKEN, {
      developer_id: "dev_other",
      name: "other",
      scopes: ["developer:tokens:read", "developer:tokens:write"],
    });
    const otherToken = other.json().token as string;
    expect((await listed(otherToken, "DELETE", `/v1/developer/tokens/${consoleTokenId}`)).statusCode).toBe(404);
    const otherList = await listed(otherToken, "GET", "/v1/developer/tokens");
    expect(otherList.body).not.toContain(consoleTokenId);

    const revoked = await listed(consoleToken, "DELETE", `/v1/developer/tokens/${consoleTokenId}`);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().revoked_at).toEqual(expect.any(String));
    expect((await listed(consoleToken, "GET", "/v1/developer/apps")).statusCode).toBe(401);
    expect((await listed(DEVELOPER_ADMIN_TOKEN, "DELETE", `/v1/developer/tokens/${consoleTokenId}`)).statusCode).toBe(
      404,
    );
    const adminList = await listed(DEVELOPER_ADMIN_TOKEN, "GET", "/v1/developer/tokens?developer_id=dev_demo");
    const item = (adminList.json().items as Array<Record<string, unknown>>).find(
      (token) => token.id === consoleTokenId,
    );
    expect(item?.revoked_at).toEqual(expect.any(String));
  });

  it("refuses missing and unknown credentials with 401", async () => {
    for (const token of [undefined, "mf_dev_unknownunknownunknownunknownunknown00", "not-a-token"]) {
      const response = await listed(token, "GET", "/v1/developer/tokens");
      expect(response.statusCode).toBe(401);
      expect(response.json().error.code).toBe("unauthorized");
    }
  });

  it("records creation and revocation in the audit log, without secrets", async () => {
    const { rows } = await database.db.query<{ action: string; actor_type: string; details: unknown }>(
      "SELECT action, actor_type, details FROM audit_logs WHERE resource_type = 'developer_token' ORDER BY id",
    );
    expect(rows.map((row) => row.action)).toEqual(
      expect.arrayContaining(["developer_token.create", "developer_token.revoke"]),
    );
    expect(rows.map((row) => row.actor_type)).toEqual(expect.arrayContaining(["admin", "developer"]));
    transcript.push(JSON.stringify(rows));
  });

  it("no token appears in any list response, error, audit entry or log line", () => {
    expect(issued.length).toBeGreaterThan(3);
    expect(logLines.length).toBeGreaterThan(0);
    const everything = [...transcript, ...logLines].join("\n");
    for (const token of issued) {
      expect(everything).not.toContain(token);
      expect(everything).not.toContain(token.slice(12));
    }
  });
});

describe("apps and features through a developer token", () => {
  it("renames, re-modes and archives an app; archiving stops its sessions", async () => {
    const created = await createToken(DEVELOPER_ADMIN_TOKEN, {
      developer_id: "dev_demo",
      name: "apps",
      scopes: ["developer:apps:read", "developer:apps:write", "developer:features:read", "developer:features:write"],
    });
    const token = created.json().token as string;
    const app = (await call(token, "POST", "/v1/developer/apps", { name: "Shop", session_mode: "signed" })).json();
    const patched = await call(token, "PATCH", `/v1/developer/apps/${app.public_app_id}`, {
      name: "Shop 2",
      session_mode: "public",
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ name: "Shop 2", session_mode: "public", status: "active" });
    expect((await call(token, "PATCH", `/v1/developer/apps/${app.public_app_id}`, {})).statusCode).toBe(400);

    const mint = () =>
      call(undefined, "POST", "/v1/sessions", { public_app_id: app.public_app_id, external_user_id: "u1" });
    const minted = await mint();
    expect(minted.statusCode).toBe(200);
    const session = minted.json().session_token as string;

    const archived = await call(token, "DELETE", `/v1/developer/apps/${app.public_app_id}`);
    expect(archived.statusCode).toBe(200);
    expect(archived.json()).toMatchObject({ status: "archived", archived_at: expect.any(String) });
    expect((await call(token, "DELETE", `/v1/developer/apps/${app.public_app_id}`)).statusCode).toBe(200);
    expect((await mint()).statusCode).toBe(403);
    // Never looked up before, so not cached: the lookup (active apps only) refuses it at once.
    expect((await call(session, "GET", "/v1/user/wallet")).statusCode).toBe(401);
    expect((await call(token, "PATCH", `/v1/developer/apps/${app.public_app_id}`, { name: "Zombie" })).statusCode).toBe(
      403,
    );
  });

  it("updates features through the manifest schema, archives them, and revokes secret keys", async () => {
    const created = await createToken(DEVELOPER_ADMIN_TOKEN, {
      developer_id: "dev_demo",
      name: "features",
      scopes: ["developer:apps:write", "developer:features:read", "developer:features:write"],
    });
    const token = created.json().token as string;
    const app = (await call(token, "POST", "/v1/developer/apps", { name: "Docs" })).json();
    const base = `/v1/developer/apps/${app.public_app_id}/features`;
    const manifest = {
      feature_key: "qa",
      display_name: "Q&A",
      policy: { route_preference: ["platform_pool"], default_model: "mock-small" },
      pricing: { mode: "usage_markup", markup_percent: 30, channel_share_bps: 4000 },
    };
    expect((await call(token, "POST", base, manifest)).statusCode).toBe(201);
    const renamed = await call(token, "PATCH", `${base}/qa`, { display_name: "Questions" });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ display_name: "Questions", pricing: { channel_share_bps: 4000 } });
    const bad = await call(token, "PATCH", `${base}/qa`, {
      pricing: { ...manifest.pricing, channel_share_bps: 10001 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain("channel_share_bps");
    expect((await call(token, "PATCH", `${base}/qa`, { feature_key: "other" })).statusCode).toBe(400);
    expect((await call(token, "PATCH", `${base}/missing`, { display_name: "x" })).statusCode).toBe(404);
    const archived = await call(token, "DELETE", `${base}/qa`);
    expect(archived.json()).toMatchObject({ status: "archived" });
    expect((await call(token, "PATCH", `${base}/qa`, { display_name: "again" })).statusCode).toBe(409);

    const key = (await call(token, "POST", `/v1/developer/apps/${app.public_app_id}/secret-keys`)).json();
    issued.push(key.secret_key as string);
    const revokeUrl = `/v1/developer/apps/${app.public_app_id}/secret-keys/${key.id}`;
    const revoked = await call(token, "DELETE", revokeUrl);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toMatchObject({ id: key.id, revoked_at: expect.any(String) });
    expect((await call(token, "DELETE", revokeUrl)).statusCode).toBe(404);
    const minted = await call(key.secret_key, "POST", "/v1/sessions", {
      public_app_id: app.public_app_id,
      external_user_id: "u1",
    });
    expect(minted.statusCode).toBe(403);
  });
});
