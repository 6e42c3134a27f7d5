import { DEMO } from "@modelfaucet/db";
import { createTestDatabase, type TestDatabase } from "@modelfaucet/db/testing";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, testApi } from "./helpers/services.js";

/**
 * Every string the Control API stores or looks up — bodies, query strings,
 * path parameters, the Idempotency-Key header — refuses NUL and unpaired
 * UTF-16 surrogates with 400 `invalid_request` naming the field. PostgreSQL
 * refuses NUL in text and jsonb (a 500 if it got that far) and cannot hold a
 * lone surrogate (the driver would store U+FFFD instead). Run it on
 * PostgreSQL too: TEST_DATABASE_URL=… npx vitest run tests/api-text-safety.test.ts
 */

const DEVELOPER_ADMIN_TOKEN = "test-developer-admin-token-0123456789";

let database: TestDatabase;
let api: FastifyInstance;
let sessionToken: string;
let walletId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  api = await testApi(database.db, { DEVELOPER_ADMIN_TOKEN });
  const minted = await api.inject({
    method: "POST",
    url: "/v1/sessions",
    payload: { public_app_id: DEMO.appId, external_user_id: "text-safety" },
  });
  sessionToken = minted.json<{ session_token: string }>().session_token;
  const wallet = await api.inject({ url: "/v1/user/wallet", headers: { authorization: `Bearer ${sessionToken}` } });
  walletId = wallet.json<{ wallet_id: string }>().wallet_id;
});
afterAll(async () => {
  await api.close();
  await database.db.close();
});

type Auth = "none" | "session" | "developer" | "admin";
type Method = "GET" | "POST" | "PATCH" | "DELETE";

const bearer: Record<Auth, () => Record<string, string>> = {
  none: () => ({}),
  session: () => ({ authorization: `Bearer ${sessionToken}` }),
  developer: () => ({ authorization: `Bearer ${DEVELOPER_ADMIN_TOKEN}` }),
  admin: () => ({ authorization: `Bearer ${ADMIN_TOKEN}` }),
};

/** A string field of a JSON body: `body(bad)` puts the bad text where `field` names it. */
interface BodyCase {
  method: Method;
  /** The route's path; `:wallet` stands for the test wallet. */
  url: string;
  auth: Auth;
  field: string;
  body: (bad: string) => object;
}

const manifest = (displayName: string) => ({
  feature_key: "text_safety",
  display_name: displayName,
  policy: { default_model: "mock-small" },
  pricing: { mode: "usage_markup", markup_percent: 30, channel_share_bps: 4000 },
});
const providerKey = { provider: "openai", api_key: "sk-test-0123456789abcdef" };
const adjustment = { kind: "adjustment", direction: "credit", amount_usd: "1.00", reason: "text safety" };
const model = { id: "text-safety-model", provider: "mock", input_usd_per_mtok: "1", output_usd_per_mtok: "2" };
const checkout = { amount_usd: "5.00", success_url: "https://app.test/ok", cancel_url: "https://app.test/no" };

const BODY_CASES: BodyCase[] = [
  {
    method: "POST",
    url: "/v1/sessions",
    auth: "none",
    field: "public_app_id",
    body: (bad) => ({ public_app_id: `app_${bad}demo`, external_user_id: "u" }),
  },
  {
    method: "POST",
    url: "/v1/sessions",
    auth: "none",
    field: "external_user_id",
    body: (bad) => ({ public_app_id: DEMO.appId, external_user_id: `u${bad}` }),
  },
  {
    method: "POST",
    url: "/v1/sessions",
    auth: "none",
    field: "feature_key",
    body: (bad) => ({ public_app_id: DEMO.appId, external_user_id: "u", feature_key: `chat${bad}` }),
  },
  {
    method: "POST",
    url: "/v1/sessions",
    auth: "none",
    field: "metadata.plan.note",
    body: (bad) => ({ public_app_id: DEMO.appId, external_user_id: "u", metadata: { plan: { note: `a${bad}b` } } }),
  },
  {
    method: "POST",
    url: "/v1/sessions",
    auth: "none",
    field: "metadata.tags.1",
    body: (bad) => ({ public_app_id: DEMO.appId, external_user_id: "u", metadata: { tags: ["ok", bad] } }),
  },
  {
    method: "POST",
    url: "/v1/sessions",
    auth: "none",
    field: "metadata.k",
    body: (bad) => ({ public_app_id: DEMO.appId, external_user_id: "u", metadata: { [`k${bad}`]: "v" } }),
  },
  {
    method: "POST",
    url: "/v1/developer/apps",
    auth: "developer",
    field: "name",
    body: (bad) => ({ developer_id: DEMO.developerId, name: `App ${bad}` }),
  },
  {
    method: "PATCH",
    url: `/v1/developer/apps/${DEMO.appId}`,
    auth: "developer",
    field: "name",
    body: (bad) => ({ name: `App ${bad}` }),
  },
  {
    method: "POST",
    url: `/v1/developer/apps/${DEMO.appId}/features`,
    auth: "developer",
    field: "display_name",
    body: (bad) => manifest(`Feature ${bad}`),
  },
  {
    method: "PATCH",
    url: `/v1/developer/apps/${DEMO.appId}/features/${DEMO.featureKey}`,
    auth: "developer",
    field: "policy.default_model",
    body: (bad) => ({ policy: { default_model: `mock${bad}` } }),
  },
  {
    method: "POST",
    url: "/v1/developer/tokens",
    auth: "developer",
    field: "name",
    body: (bad) => ({ developer_id: DEMO.developerId, name: `CI ${bad}`, scopes: ["developer:apps:read"] }),
  },
  {
    method: "POST",
    url: "/v1/developer/provider-keys",
    auth: "developer",
    field: "api_key",
    body: (bad) => ({ ...providerKey, developer_id: DEMO.developerId, api_key: `sk-test-0123${bad}456789` }),
  },
  {
    method: "POST",
    url: "/v1/developer/provider-keys",
    auth: "developer",
    field: "models_allowed.0",
    body: (bad) => ({ ...providerKey, developer_id: DEMO.developerId, models_allowed: [`gpt${bad}`] }),
  },
  {
    method: "POST",
    url: "/v1/user/provider-keys",
    auth: "session",
    field: "base_url",
    body: (bad) => ({ ...providerKey, provider: "openai_compatible", base_url: `https://llm.example/${bad}` }),
  },
  {
    method: "POST",
    url: "/v1/local/endpoints",
    auth: "session",
    field: "name",
    body: (bad) => ({ name: `laptop ${bad}`, runtime: "ollama", models: ["llama3"] }),
  },
  {
    method: "POST",
    url: "/v1/local/endpoints",
    auth: "session",
    field: "models.0",
    body: (bad) => ({ name: "laptop", runtime: "ollama", models: [`llama${bad}`] }),
  },
  {
    method: "POST",
    url: "/v1/user/stripe/checkout-sessions",
    auth: "session",
    field: "success_url",
    body: (bad) => ({ ...checkout, success_url: `https://app.test/${bad}` }),
  },
  {
    method: "POST",
    url: "/v1/admin/developers",
    auth: "admin",
    field: "name",
    body: (bad) => ({ name: `Dev ${bad}`, email: "text-safety@example.com" }),
  },
  {
    method: "POST",
    url: "/v1/admin/wallets/:wallet/credit-test-balance",
    auth: "admin",
    field: "idempotency_key",
    body: (bad) => ({ amount_usd: "1.00", idempotency_key: `k${bad}` }),
  },
  {
    method: "POST",
    url: "/v1/admin/wallets/:wallet/adjustments",
    auth: "admin",
    field: "reason",
    body: (bad) => ({ ...adjustment, reason: `refund ${bad}` }),
  },
  {
    method: "POST",
    url: "/v1/admin/payouts/run",
    auth: "admin",
    field: "threshold_usd",
    body: (bad) => ({ threshold_usd: `1${bad}` }),
  },
  {
    method: "POST",
    url: "/v1/admin/payouts/po_textsafety/approve",
    auth: "admin",
    field: "note",
    body: (bad) => ({ note: `ok ${bad}` }),
  },
  {
    method: "POST",
    url: "/v1/admin/payouts/po_textsafety/cancel",
    auth: "admin",
    field: "reason",
    body: (bad) => ({ reason: `no ${bad}` }),
  },
  {
    method: "POST",
    url: "/v1/admin/models",
    auth: "admin",
    field: "id",
    body: (bad) => ({ ...model, id: `m${bad}` }),
  },
  {
    method: "POST",
    url: "/v1/admin/models",
    auth: "admin",
    field: "upstream_model",
    body: (bad) => ({ ...model, upstream_model: `m${bad}` }),
  },
];

/** A query-string or path value, sent percent-encoded as `%00` (NUL). */
interface UrlCase {
  method: Method;
  url: (bad: string) => string;
  auth: Auth;
  field: string;
  body?: object;
}

const URL_CASES: UrlCase[] = [
  {
    method: "GET",
    url: (bad) => `/v1/developer/apps?developer_id=dev_${bad}`,
    auth: "developer",
    field: "developer_id",
  },
  {
    method: "PATCH",
    url: (bad) => `/v1/developer/apps/app_${bad}x`,
    auth: "developer",
    field: "publicAppId",
    body: { name: "x" },
  },
  { method: "DELETE", url: (bad) => `/v1/developer/apps/app_${bad}x`, auth: "developer", field: "publicAppId" },
  {
    method: "POST",
    url: (bad) => `/v1/developer/apps/app_${bad}x/secret-keys`,
    auth: "developer",
    field: "publicAppId",
  },
  {
    method: "GET",
    url: (bad) => `/v1/developer/apps/app_${bad}x/features`,
    auth: "developer",
    field: "publicAppId",
  },
  {
    method: "PATCH",
    url: (bad) => `/v1/developer/apps/${DEMO.appId}/features/chat${bad}`,
    auth: "developer",
    field: "featureKey",
    body: {},
  },
  {
    method: "GET",
    url: (bad) => `/v1/developer/tokens?developer_id=dev_${bad}`,
    auth: "developer",
    field: "developer_id",
  },
  { method: "DELETE", url: (bad) => `/v1/developer/tokens/tok_${bad}`, auth: "developer", field: "id" },
  {
    method: "GET",
    url: (bad) => `/v1/developer/provider-keys?developer_id=dev_${bad}`,
    auth: "developer",
    field: "developer_id",
  },
  { method: "DELETE", url: (bad) => `/v1/developer/provider-keys/dpk_${bad}`, auth: "developer", field: "id" },
  { method: "DELETE", url: (bad) => `/v1/user/provider-keys/upk_${bad}`, auth: "session", field: "id" },
  {
    method: "GET",
    url: (bad) => `/v1/developer/operations?developer_id=dev_${bad}`,
    auth: "developer",
    field: "developer_id",
  },
  { method: "GET", url: (bad) => `/v1/apps/app_${bad}x/usage`, auth: "developer", field: "publicAppId" },
  { method: "GET", url: (bad) => `/v1/apps/${DEMO.appId}/usage?cursor=a${bad}`, auth: "developer", field: "cursor" },
  { method: "GET", url: (bad) => `/v1/apps/${DEMO.appId}/usage?from=2026${bad}`, auth: "developer", field: "from" },
  { method: "GET", url: (bad) => `/v1/developers/dev_${bad}/revenue`, auth: "developer", field: "id" },
  {
    method: "GET",
    url: (bad) => `/v1/developers/${DEMO.developerId}/revenue?to=2026${bad}`,
    auth: "developer",
    field: "to",
  },
  { method: "GET", url: (bad) => `/v1/admin/payouts?cursor=a${bad}`, auth: "admin", field: "cursor" },
  { method: "GET", url: (bad) => `/v1/admin/payouts?developer_id=dev_${bad}`, auth: "admin", field: "developer_id" },
  { method: "GET", url: (bad) => `/v1/admin/payouts/po_${bad}`, auth: "admin", field: "id" },
  { method: "POST", url: (bad) => `/v1/admin/payouts/po_${bad}/mark-paid`, auth: "admin", field: "id" },
  { method: "GET", url: (bad) => `/v1/admin/models?state=current${bad}`, auth: "admin", field: "state" },
  // A wildcard parameter (model ids may hold "/") is named `path`.
  { method: "DELETE", url: (bad) => `/v1/admin/models/mock${bad}`, auth: "admin", field: "path" },
  { method: "GET", url: (bad) => `/v1/admin/developers?limit=1${bad}`, auth: "admin", field: "limit" },
  { method: "GET", url: (bad) => `/v1/admin/reports/usage.csv?from=2026${bad}`, auth: "admin", field: "from" },
  {
    method: "POST",
    url: (bad) => `/v1/admin/wallets/usr_${bad}/credit-test-balance`,
    auth: "admin",
    field: "id",
    body: { amount_usd: "1.00" },
  },
];

/** A cursor as the list endpoints issue them (base64url JSON), whose id part hides a NUL. */
const cursorWith = (at: string, id: string) => Buffer.from(JSON.stringify([at, id])).toString("base64url");

const BAD_TEXT: Array<[string, string]> = [
  ["NUL", "\u0000"],
  ["a lone surrogate", "\ud800"],
];

function expectRefused(response: { statusCode: number; json: () => unknown }, field: string) {
  expect(response.statusCode).toBe(400);
  const { error } = response.json() as { error: { code: string; message: string; param?: string | null } };
  expect(error.code).toBe("invalid_request");
  // The field is named by `param` (when the envelope carries it) or in the message.
  expect(`${error.param ?? ""} ${error.message}`).toContain(field);
}

describe("text PostgreSQL cannot store is refused with 400 naming the field", () => {
  describe.each(BAD_TEXT)("%s", (_label, bad) => {
    it.each(BODY_CASES.map((c) => [`${c.method} ${c.url} ${c.field}`, c] as const))("body: %s", async (_name, c) => {
      const response = await api.inject({
        method: c.method,
        url: c.url.replace(":wallet", walletId),
        headers: { ...bearer[c.auth](), "content-type": "application/json" },
        // JSON.stringify writes NUL as \u0000 and a lone surrogate as \ud800: the escapes a client sends.
        payload: JSON.stringify(c.body(bad)),
      });
      expectRefused(response, c.field);
    });

    it("the Idempotency-Key header", async () => {
      for (const path of ["credit-test-balance", "adjustments"]) {
        const response = await api.inject({
          method: "POST",
          url: `/v1/admin/wallets/${walletId}/${path}`,
          headers: { ...bearer.admin(), "idempotency-key": `key${bad}` },
          payload: path === "adjustments" ? adjustment : { amount_usd: "1.00" },
        });
        expectRefused(response, "Idempotency-Key");
      }
    });

    it("a list cursor whose decoded id hides the text", async () => {
      const cursor = cursorWith("2026-01-01T00:00:00Z", `id${bad}`);
      for (const [url, auth] of [
        [`/v1/apps/${DEMO.appId}/usage?cursor=${cursor}`, "developer"],
        [`/v1/admin/payouts?cursor=${cursor}`, "admin"],
      ] as const) {
        expectRefused(await api.inject({ method: "GET", url, headers: bearer[auth]() }), "cursor");
      }
    });
  });

  it.each(URL_CASES.map((c) => [`${c.method} ${c.url("%00")}`, c] as const))("url: %s", async (_name, c) => {
    const response = await api.inject({
      method: c.method,
      url: c.url("%00"),
      headers: bearer[c.auth](),
      ...(c.body ? { payload: c.body } : {}),
    });
    expectRefused(response, c.field);
  });

  it("never answers 500 to a percent-encoded lone surrogate (not UTF-8) in a URL", async () => {
    for (const c of URL_CASES) {
      const response = await api.inject({
        method: c.method,
        url: c.url("%ED%A0%80"),
        headers: bearer[c.auth](),
        ...(c.body ? { payload: c.body } : {}),
      });
      expect(response.statusCode, `${c.method} ${c.url("%ED%A0%80")}`).toBeLessThan(500);
    }
  });

  it("refuses nesting deeper than the API reads, naming where", async () => {
    const deep = `${"[".repeat(10_000)}"deep"${"]".repeat(10_000)}`;
    const response = await api.inject({
      method: "POST",
      url: "/v1/sessions",
      headers: { "content-type": "application/json" },
      payload: `{"public_app_id":"${DEMO.appId}","external_user_id":"u","metadata":{"deep":${deep}}}`,
    });
    expectRefused(response, "metadata.deep");
  });

  it("still accepts ordinary non-ASCII text, emoji (surrogate pairs) included", async () => {
    const response = await api.inject({
      method: "POST",
      url: "/v1/sessions",
      payload: {
        public_app_id: DEMO.appId,
        external_user_id: "Zoë 😀",
        metadata: { "clé 🔑": "naïve ☕ 😀", list: ["日本語"] },
      },
    });
    expect(response.statusCode).toBe(200);
    const { rows } = await database.db.query<{ metadata: unknown }>(
      "SELECT metadata FROM sessions WHERE metadata ? 'list'",
    );
    expect(rows[0]!.metadata).toEqual({ "clé 🔑": "naïve ☕ 😀", list: ["日本語"] });
  });
});
