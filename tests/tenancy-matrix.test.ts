import { DEVELOPER_SCOPES, type DeveloperScope } from "@modelfaucet/contract";
import { createTestDatabase, type TestDatabase } from "@modelfaucet/db/testing";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, testApi } from "./helpers/services.js";

const DEVELOPER_ADMIN_TOKEN = "test-developer-admin-token-0123456789";

let database: TestDatabase;
let api: FastifyInstance;

async function call(token: string, method: string, url: string, payload?: object) {
  const response = await api.inject({
    method: method as "GET",
    url,
    headers: { authorization: `Bearer ${token}` },
    ...(payload ? { payload } : {}),
  });
  return { status: response.statusCode, body: response.body, json: () => response.json() as Record<string, unknown> };
}

function expectOk(response: { status: number; body: string }, status = 200) {
  expect(response.status, response.body).toBe(status);
  return JSON.parse(response.body) as Record<string, unknown>;
}

const manifest = (key: string, displayName: string) => ({
  feature_key: key,
  display_name: displayName,
  policy: { route_preference: ["platform_pool"], default_model: "mock-small", max_output_tokens: 256 },
  pricing: { mode: "usage_markup", markup_percent: 30, channel_share_bps: 4000, byok_gateway_fee_usd: "0.00000000" },
});

/** Everything one developer owns, as the other must never see it. */
interface Tenant {
  developerId: string;
  appId: string;
  featureKey: string;
  featureName: string;
  secretKeyId: string;
  providerKeyId: string;
  tokenId: string;
  /** Full-scope mf_dev_ token. */
  token: string;
  requestId: string;
}

async function createTenant(label: string): Promise<Tenant> {
  const developer = expectOk(
    await call(ADMIN_TOKEN, "POST", "/v1/admin/developers", {
      name: `Developer ${label}`,
      email: `${label.toLowerCase()}-${Date.now()}@example.com`,
    }),
    201,
  );
  const developerId = developer.id as string;
  const tokenResponse = expectOk(
    await call(DEVELOPER_ADMIN_TOKEN, "POST", "/v1/developer/tokens", {
      developer_id: developerId,
      name: `${label} console`,
      scopes: DEVELOPER_SCOPES,
    }),
    201,
  );
  const token = tokenResponse.token as string;
  const app = expectOk(
    await call(token, "POST", "/v1/developer/apps", { name: `App of ${label}`, session_mode: "public" }),
    201,
  );
  const appId = app.public_app_id as string;
  const featureKey = `feature_${label.toLowerCase()}`;
  const featureName = `Secret feature of ${label}`;
  expectOk(await call(token, "POST", `/v1/developer/apps/${appId}/features`, manifest(featureKey, featureName)), 201);
  const secretKey = expectOk(await call(token, "POST", `/v1/developer/apps/${appId}/secret-keys`), 201);
  const providerKey = expectOk(
    await call(token, "POST", "/v1/developer/provider-keys", {
      provider: "openai",
      api_key: `sk-proj-${label}providerKEY0123456789abcdef`,
    }),
    201,
  );
  // Usage: a session of the app, then a billed request as the Gateway would record it.
  const minted = await api.inject({
    method: "POST",
    url: "/v1/sessions",
    payload: { public_app_id: appId, external_user_id: `user-of-${label}` },
  });
  expect(minted.statusCode, minted.body).toBe(200);
  const { rows } = await database.db.query<{ id: string; end_user_id: string }>(
    "SELECT id, end_user_id FROM sessions WHERE app_id = $1",
    [appId],
  );
  const requestId = `req_usage_of_${label}`;
  await database.db.query(
    `INSERT INTO usage_events (id, request_id, app_id, developer_id, end_user_id, session_id, feature_key, route_mode,
       provider, model, stream, outcome, usage_source, input_tokens, cached_tokens, output_tokens,
       cost_units, retail_units, developer_units, platform_units, held_units)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'platform', 'mock', 'mock-small', false, 'completed', 'upstream',
       10, 0, 5, 100, 200, 60, 40, 300)`,
    [`use_${label.toLowerCase()}1`, requestId, appId, developerId, rows[0]!.end_user_id, rows[0]!.id, featureKey],
  );
  return {
    developerId,
    appId,
    featureKey,
    featureName,
    secretKeyId: secretKey.id as string,
    providerKeyId: providerKey.id as string,
    tokenId: tokenResponse.id as string,
    token,
    requestId,
  };
}

let a: Tenant;
let b: Tenant;

beforeAll(async () => {
  database = await createTestDatabase();
  api = await testApi(database.db, { DEVELOPER_ADMIN_TOKEN });
  a = await createTenant("Alpha");
  b = await createTenant("Bravo");
});
afterAll(async () => {
  await api.close();
  await database.db.close();
});

/** Every developer route, aimed at `t`'s resources, with the scope it needs. */
function routes(t: Tenant): Array<{ method: string; url: string; scope: DeveloperScope; payload?: object }> {
  const app = `/v1/developer/apps/${t.appId}`;
  return [
    { method: "GET", url: `/v1/developer/apps?developer_id=${t.developerId}`, scope: "developer:apps:read" },
    {
      method: "POST",
      url: "/v1/developer/apps",
      scope: "developer:apps:write",
      payload: { developer_id: t.developerId, name: "Hijack" },
    },
    { method: "PATCH", url: app, scope: "developer:apps:write", payload: { name: "Renamed" } },
    { method: "DELETE", url: app, scope: "developer:apps:write" },
    { method: "POST", url: `${app}/secret-keys`, scope: "developer:apps:write" },
    { method: "DELETE", url: `${app}/secret-keys/${t.secretKeyId}`, scope: "developer:apps:write" },
    { method: "GET", url: `${app}/features`, scope: "developer:features:read" },
    {
      method: "POST",
      url: `${app}/features`,
      scope: "developer:features:write",
      payload: manifest("hijack", "Hijack"),
    },
    {
      method: "PATCH",
      url: `${app}/features/${t.featureKey}`,
      scope: "developer:features:write",
      payload: { display_name: "Renamed" },
    },
    { method: "DELETE", url: `${app}/features/${t.featureKey}`, scope: "developer:features:write" },
    {
      method: "GET",
      url: `/v1/developer/provider-keys?developer_id=${t.developerId}`,
      scope: "developer:provider_keys:read",
    },
    {
      method: "POST",
      url: "/v1/developer/provider-keys",
      scope: "developer:provider_keys:write",
      payload: { developer_id: t.developerId, provider: "openai", api_key: "sk-proj-HIJACKkey0123456789abcdef" },
    },
    { method: "DELETE", url: `/v1/developer/provider-keys/${t.providerKeyId}`, scope: "developer:provider_keys:write" },
    {
      method: "DELETE",
      url: `/v1/developer/provider-keys/${t.providerKeyId}?developer_id=${t.developerId}`,
      scope: "developer:provider_keys:write",
    },
    { method: "GET", url: `/v1/developer/tokens?developer_id=${t.developerId}`, scope: "developer:tokens:read" },
    {
      method: "POST",
      url: "/v1/developer/tokens",
      scope: "developer:tokens:write",
      payload: { developer_id: t.developerId, name: "Hijack", scopes: ["developer:apps:read"] },
    },
    { method: "DELETE", url: `/v1/developer/tokens/${t.tokenId}`, scope: "developer:tokens:write" },
    {
      method: "GET",
      url: `/v1/developer/operations?developer_id=${t.developerId}`,
      scope: "developer:operations:read",
    },
    { method: "GET", url: `/v1/apps/${t.appId}/usage`, scope: "developer:operations:read" },
    { method: "GET", url: `/v1/developers/${t.developerId}/revenue`, scope: "developer:operations:read" },
  ];
}

/** Strings that would betray B's data in a response to A. */
const secretsOf = (t: Tenant) => [
  t.developerId,
  t.appId,
  t.featureName,
  t.secretKeyId,
  t.providerKeyId,
  t.tokenId,
  t.requestId,
];

describe("tenancy: developer A's token against developer B's resources", () => {
  it("is refused on every developer route (404 or 403) and never shows B's data", async () => {
    for (const route of routes(b)) {
      const response = await call(a.token, route.method, route.url, route.payload);
      expect([403, 404], `${route.method} ${route.url}: ${response.body}`).toContain(response.status);
      for (const secret of secretsOf(b)) {
        expect(response.body, `${route.method} ${route.url}`).not.toContain(secret);
      }
    }
  });

  it("leaves B's resources untouched", async () => {
    const own = (method: string, url: string) => call(b.token, method, url);
    const apps = expectOk(await own("GET", "/v1/developer/apps")).items as Array<Record<string, unknown>>;
    expect(apps).toEqual([expect.objectContaining({ public_app_id: b.appId, name: "App of Bravo", status: "active" })]);
    const features = expectOk(await own("GET", `/v1/developer/apps/${b.appId}/features`)).items;
    expect(features).toEqual([
      expect.objectContaining({ feature_key: b.featureKey, display_name: b.featureName, status: "active" }),
    ]);
    const keys = expectOk(await own("GET", "/v1/developer/provider-keys")).items;
    expect(keys).toEqual([expect.objectContaining({ id: b.providerKeyId, revoked_at: null })]);
    const tokens = expectOk(await own("GET", "/v1/developer/tokens")).items;
    expect(tokens).toEqual([expect.objectContaining({ id: b.tokenId, revoked_at: null })]);
    const { rows } = await database.db.query("SELECT 1 FROM app_secret_keys WHERE id = $1 AND revoked_at IS NULL", [
      b.secretKeyId,
    ]);
    expect(rows).toHaveLength(1);
    const audit = await database.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_logs WHERE developer_id = $1 AND actor_id = $2",
      [b.developerId, a.tokenId],
    );
    expect(audit.rows[0]!.n).toBe(0);
  });

  it("lists only A's own data on A's list and operations routes", async () => {
    const own = async (url: string) => {
      const response = await call(a.token, "GET", url);
      for (const secret of secretsOf(b)) expect(response.body, url).not.toContain(secret);
      return expectOk(response);
    };
    expect((await own("/v1/developer/apps")).items).toEqual([expect.objectContaining({ public_app_id: a.appId })]);
    expect((await own("/v1/developer/provider-keys")).items).toEqual([
      expect.objectContaining({ id: a.providerKeyId }),
    ]);
    expect((await own("/v1/developer/tokens")).items).toEqual([expect.objectContaining({ id: a.tokenId })]);
    const usage = await own(`/v1/apps/${a.appId}/usage`);
    expect(usage.items).toEqual([expect.objectContaining({ request_id: a.requestId })]);
    const revenue = await own(`/v1/developers/${a.developerId}/revenue`);
    expect(revenue).toMatchObject({ developer_id: a.developerId, requests: 1, retail_usd: "0.00000200" });
    const operations = await own("/v1/developer/operations");
    expect(operations).toMatchObject({
      developer_id: a.developerId,
      wallet: { balance_usd: "0.00000000" },
      top_ups: { count: 0, paid_usd: "0.00000000" },
      payouts: [],
    });
    const actions = (operations.audit_log as Array<{ action: string }>).map((entry) => entry.action);
    expect(actions).toEqual(
      expect.arrayContaining(["developer_token.create", "app.create", "feature.create", "provider_key.create"]),
    );
  });

  it("refuses every route to a token without its scope with 403 forbidden", async () => {
    const lacking = new Map<DeveloperScope, string>();
    for (const scope of DEVELOPER_SCOPES) {
      const created = expectOk(
        await call(DEVELOPER_ADMIN_TOKEN, "POST", "/v1/developer/tokens", {
          developer_id: a.developerId,
          name: `without ${scope}`,
          scopes: DEVELOPER_SCOPES.filter((other) => other !== scope),
        }),
        201,
      );
      lacking.set(scope, created.token as string);
    }
    for (const route of routes(a)) {
      const response = await call(lacking.get(route.scope)!, route.method, route.url, route.payload);
      expect(response.status, `${route.method} ${route.url}`).toBe(403);
      expect(response.json()).toMatchObject({ error: { code: "forbidden" } });
    }
    // Nothing was changed by the refused requests.
    const apps = expectOk(await call(a.token, "GET", "/v1/developer/apps")).items;
    expect(apps).toEqual([expect.objectContaining({ name: "App of Alpha", status: "active" })]);
  });
});
