import { createTestDatabase, type TestDatabase } from "@modelfaucet/db/testing";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { developerWithToken, signIn } from "./helpers/console-session.js";
import { ADMIN_TOKEN, testApi } from "./helpers/services.js";

// The dashboard's cookie sessions: a token exchanged for an httpOnly,
// SameSite=Strict cookie whose unsafe requests need the CSRF token, accepted
// by developer and admin routes as the token was, revoked at sign-out.

const DEVELOPER_ADMIN_TOKEN = "test-developer-admin-token-0123456789";

let database: TestDatabase;
let api: FastifyInstance;
let developer: Awaited<ReturnType<typeof developerWithToken>>;
beforeAll(async () => {
  database = await createTestDatabase();
  api = await testApi(database.db, { DEVELOPER_ADMIN_TOKEN, TRUST_PROXY: "true" });
  developer = await developerWithToken(api, DEVELOPER_ADMIN_TOKEN, "Cookie");
});
afterAll(async () => {
  await api?.close();
  await database?.db.close();
});

const withCookie = (cookie: string, extra: Record<string, string> = {}) => ({ cookie, ...extra });

describe("signing in", () => {
  it("sets an httpOnly, SameSite=Strict cookie (Secure over https) and answers the authority and a CSRF token", async () => {
    const session = await signIn(api, developer.token);
    expect(session.setCookie).toMatch(/^mf_console=mf_con_[A-Za-z0-9_-]{43}; /);
    expect(session.setCookie).toContain("HttpOnly");
    expect(session.setCookie).toContain("SameSite=Strict");
    expect(session.setCookie).toContain("Path=/");
    expect(session.setCookie).toMatch(/Max-Age=(28[0-9]{3})/);
    expect(session.setCookie).not.toContain("Secure");
    expect(session.body).toMatchObject({ authority: "developer", developer_id: developer.developerId });
    expect(session.body.scopes).toContain("developer:apps:write");
    expect(JSON.stringify(session.body)).not.toContain(developer.token);

    const https = await api.inject({
      method: "POST",
      url: "/v1/console/sessions",
      headers: { "x-forwarded-proto": "https" },
      payload: { token: developer.token },
    });
    expect(https.statusCode).toBe(201);
    expect(String(https.headers["set-cookie"])).toMatch(/; Secure$/);
  });

  it("stores the session token only as its hash", async () => {
    const session = await signIn(api, developer.token);
    const raw = session.cookie.slice("mf_console=".length);
    const { rows } = await database.db.query<{ token_hash: string }>("SELECT token_hash FROM console_sessions");
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain(raw);
  });

  it("refuses an unknown token, and a sign-in posted from another origin", async () => {
    const unknown = await api.inject({
      method: "POST",
      url: "/v1/console/sessions",
      payload: { token: "mf_dev_nope" },
    });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json()).toMatchObject({ error: { code: "unauthorized" } });
    expect(unknown.headers["set-cookie"]).toBeUndefined();
    const crossSite = await api.inject({
      method: "POST",
      url: "/v1/console/sessions",
      headers: { origin: "https://evil.example" },
      payload: { token: developer.token },
    });
    expect(crossSite.statusCode).toBe(403);
  });
});

describe("a developer session", () => {
  it("reads developer routes with the cookie alone", async () => {
    const session = await signIn(api, developer.token);
    const apps = await api.inject({ method: "GET", url: "/v1/developer/apps", headers: withCookie(session.cookie) });
    expect(apps.statusCode, apps.body).toBe(200);
    const current = await api.inject({
      method: "GET",
      url: "/v1/console/session",
      headers: withCookie(session.cookie),
    });
    expect(current.json()).toMatchObject({ authority: "developer", csrf_token: session.csrf });
  });

  it("refuses an unsafe request without the CSRF token, with a wrong one, or from another origin", async () => {
    const session = await signIn(api, developer.token);
    const create = (headers: Record<string, string>) =>
      api.inject({ method: "POST", url: "/v1/developer/apps", headers, payload: { name: "Via cookie" } });
    const missing = await create(withCookie(session.cookie));
    expect(missing.statusCode).toBe(403);
    expect(missing.json()).toMatchObject({ error: { code: "forbidden" } });
    expect((await create(withCookie(session.cookie, { "x-csrf-token": "guess" }))).statusCode).toBe(403);
    const crossOrigin = withCookie(session.cookie, { "x-csrf-token": session.csrf, origin: "https://evil.example" });
    expect((await create(crossOrigin)).statusCode).toBe(403);
    const crossSite = withCookie(session.cookie, { "x-csrf-token": session.csrf, "sec-fetch-site": "cross-site" });
    expect((await create(crossSite)).statusCode).toBe(403);
    const { rows } = await database.db.query("SELECT 1 FROM apps WHERE name = 'Via cookie'");
    expect(rows).toHaveLength(0);

    const sameOrigin = withCookie(session.cookie, { "x-csrf-token": session.csrf, origin: "http://localhost:80" });
    const created = await create(sameOrigin);
    expect(created.statusCode, created.body).toBe(201);
  });

  it("is not the operator: admin routes still want ADMIN_TOKEN", async () => {
    const session = await signIn(api, developer.token);
    const admin = await api.inject({ method: "GET", url: "/v1/admin/developers", headers: withCookie(session.cookie) });
    expect(admin.statusCode).toBe(401);
  });

  it("holds only the scopes of the token it was opened with", async () => {
    const reader = await developerWithToken(api, DEVELOPER_ADMIN_TOKEN, "Reader", ["developer:apps:read"]);
    const session = await signIn(api, reader.token);
    expect(session.body.scopes).toEqual(["developer:apps:read"]);
    const headers = withCookie(session.cookie, { "x-csrf-token": session.csrf });
    const write = await api.inject({ method: "POST", url: "/v1/developer/apps", headers, payload: { name: "No" } });
    expect(write.statusCode).toBe(403);
  });

  it("ends when the token it was opened with is revoked", async () => {
    const other = await developerWithToken(api, DEVELOPER_ADMIN_TOKEN, "Revoked");
    const session = await signIn(api, other.token);
    const revoke = await api.inject({
      method: "DELETE",
      url: `/v1/developer/tokens/${other.tokenId}`,
      headers: { authorization: `Bearer ${other.token}` },
    });
    expect(revoke.statusCode, revoke.body).toBe(200);
    const after = await api.inject({ method: "GET", url: "/v1/developer/apps", headers: withCookie(session.cookie) });
    expect(after.statusCode).toBe(401);
  });

  it("is ignored when an Authorization header is sent: the bearer decides", async () => {
    const session = await signIn(api, developer.token);
    const response = await api.inject({
      method: "GET",
      url: "/v1/developer/apps",
      headers: withCookie(session.cookie, { authorization: "Bearer mf_dev_unknown" }),
    });
    expect(response.statusCode).toBe(401);
  });
});

describe("an operator session", () => {
  it("stands for ADMIN_TOKEN on admin routes, and for nothing on developer routes", async () => {
    const session = await signIn(api, ADMIN_TOKEN);
    expect(session.body).toMatchObject({ authority: "operator", developer_id: null, scopes: [] });
    const developers = await api.inject({
      method: "GET",
      url: "/v1/admin/developers",
      headers: withCookie(session.cookie),
    });
    expect(developers.statusCode, developers.body).toBe(200);
    const apps = await api.inject({ method: "GET", url: "/v1/developer/apps", headers: withCookie(session.cookie) });
    expect(apps.statusCode).toBe(401);
  });

  it("ends when ADMIN_TOKEN is rotated", async () => {
    const session = await signIn(api, ADMIN_TOKEN);
    const rotated = await testApi(database.db, { ADMIN_TOKEN: `${ADMIN_TOKEN}-rotated` });
    try {
      const response = await rotated.inject({
        method: "GET",
        url: "/v1/admin/developers",
        headers: withCookie(session.cookie),
      });
      expect(response.statusCode).toBe(401);
    } finally {
      await rotated.close();
    }
  });
});

describe("signing out and expiry", () => {
  it("sign-out revokes the session and clears the cookie; it needs the CSRF token", async () => {
    const session = await signIn(api, developer.token);
    const withoutCsrf = await api.inject({
      method: "DELETE",
      url: "/v1/console/session",
      headers: withCookie(session.cookie),
    });
    expect(withoutCsrf.statusCode).toBe(403);
    const out = await api.inject({
      method: "DELETE",
      url: "/v1/console/session",
      headers: withCookie(session.cookie, { "x-csrf-token": session.csrf }),
    });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers["set-cookie"])).toMatch(/^mf_console=; .*Max-Age=0/);
    // The old cookie, replayed, is worth nothing.
    const current = await api.inject({
      method: "GET",
      url: "/v1/console/session",
      headers: withCookie(session.cookie),
    });
    expect(current.statusCode).toBe(204);
    const again = await api.inject({
      method: "DELETE",
      url: "/v1/console/session",
      headers: withCookie(session.cookie, { "x-csrf-token": session.csrf }),
    });
    expect(again.statusCode).toBe(401);
    const apps = await api.inject({ method: "GET", url: "/v1/developer/apps", headers: withCookie(session.cookie) });
    expect(apps.statusCode).toBe(401);
  });

  it("an expired session is 401", async () => {
    const session = await signIn(api, developer.token);
    await database.db.query(
      `UPDATE console_sessions SET created_at = now() - interval '2 hours', expires_at = now() - interval '1 second'
       WHERE revoked_at IS NULL`,
    );
    const current = await api.inject({
      method: "GET",
      url: "/v1/console/session",
      headers: withCookie(session.cookie),
    });
    expect(current.statusCode).toBe(204);
    const apps = await api.inject({ method: "GET", url: "/v1/developer/apps", headers: withCookie(session.cookie) });
    expect(apps.statusCode).toBe(401);
    expect(apps.json()).toMatchObject({ error: { code: "unauthorized" } });
  });

  it("never outlives the developer token it was opened with", async () => {
    const shortLived = await api.inject({
      method: "POST",
      url: "/v1/developer/tokens",
      headers: { authorization: `Bearer ${DEVELOPER_ADMIN_TOKEN}` },
      payload: {
        developer_id: developer.developerId,
        name: "short",
        scopes: ["developer:apps:read"],
        expires_at: new Date(Date.now() + 3_600_000).toISOString(),
      },
    });
    expect(shortLived.statusCode, shortLived.body).toBe(201);
    const { token, expires_at: tokenExpiry } = shortLived.json<{ token: string; expires_at: string }>();
    const session = await signIn(api, token);
    expect(Date.parse(session.body.expires_at as string)).toBeLessThanOrEqual(Date.parse(tokenExpiry));
    expect(session.setCookie).toMatch(/Max-Age=(3[0-9]{3}|[0-9]{1,3})$/);
  });
});
