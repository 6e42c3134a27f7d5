import { createTestDatabase, type TestDatabase } from "@modelfaucet/db/testing";
import { refreshUsageRollup } from "@modelfaucet/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { developerWithToken, signIn } from "./helpers/console-session.js";
import { DEVELOPER_ADMIN_TOKEN, startRevenueStack, units, type RevenueStack } from "./helpers/revenue-stack.js";
import { ADMIN_TOKEN } from "./helpers/services.js";

// The dashboard's usage views over real Gateway traffic: daily aggregates
// (rolled-up days plus the events not yet rolled up, never counted twice),
// request detail by x-request-id, each only for its own developer.

interface Tenant {
  developerId: string;
  token: string;
  appId: string;
  requestIds: string[];
}

let database: TestDatabase;
let stack: RevenueStack;
let a: Tenant;
let b: Tenant;

async function api(token: string, path: string, init: { method?: string; body?: unknown } = {}) {
  const response = await fetch(`${stack.apiUrl}${path}`, {
    method: init.method ?? "GET",
    headers: {
      authorization: `Bearer ${token}`,
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function tenant(label: string): Promise<Tenant> {
  const { developerId, token } = await developerWithToken(stack.api, DEVELOPER_ADMIN_TOKEN, label);
  const app = await api(token, "/v1/developer/apps", { method: "POST", body: { name: label, session_mode: "public" } });
  const appId = app.json.public_app_id as string;
  const feature = await api(token, `/v1/developer/apps/${appId}/features`, {
    method: "POST",
    body: {
      feature_key: "reply",
      display_name: "Reply",
      policy: { route_preference: ["platform_pool"], default_model: "mock-small", max_output_tokens: 64 },
      pricing: { mode: "usage_markup", markup_percent: 50, channel_share_bps: 4000, byok_gateway_fee_usd: "0" },
    },
  });
  expect(feature.status, JSON.stringify(feature.json)).toBe(201);
  return { developerId, token, appId, requestIds: [] };
}

/** One chat through the Gateway by a user of `t`'s app; its x-request-id. */
async function chat(t: Tenant): Promise<string> {
  const minted = await fetch(`${stack.apiUrl}/v1/sessions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ public_app_id: t.appId, external_user_id: `user-${t.requestIds.length}` }),
  });
  const { session_token: session } = (await minted.json()) as { session_token: string };
  const wallet = await fetch(`${stack.apiUrl}/v1/user/wallet`, { headers: { authorization: `Bearer ${session}` } });
  const { wallet_id: walletId } = (await wallet.json()) as { wallet_id: string };
  await stack.admin("POST", `/v1/admin/wallets/${walletId}/credit-test-balance`, { amount_usd: "1.00" });
  const { response } = await stack
    .client(session)
    .chat.completions.create({
      model: "auto:reply",
      max_tokens: 16,
      messages: [{ role: "user", content: "Hello there" }],
    })
    .withResponse();
  const requestId = response.headers.get("x-request-id")!;
  t.requestIds.push(requestId);
  return requestId;
}

const today = () => new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  database = await createTestDatabase();
  stack = await startRevenueStack(database.db);
  a = await tenant("Alpha");
  b = await tenant("Bravo");
  await chat(a);
  await chat(a);
  await chat(b);
});
afterAll(async () => {
  await stack?.close();
  await database?.db.close();
});

/** Σ retail over a daily answer's items, in units. */
const retailOf = (items: Array<Record<string, unknown>>) =>
  items.reduce((sum, item) => sum + units(item.retail_usd as string), 0n);

async function retailOfEvents(developerId: string): Promise<bigint> {
  const { rows } = await database.db.query<{ retail: string }>(
    "SELECT coalesce(sum(retail_units), 0)::text AS retail FROM usage_events WHERE developer_id = $1",
    [developerId],
  );
  return BigInt(rows[0]!.retail);
}

describe("daily usage", () => {
  it("gives a developer their own requests of today, split by route mode, feature, model or app", async () => {
    const daily = await api(a.token, `/v1/developer/usage/daily?from=${today()}&to=${today()}&by=feature`);
    expect(daily.status, JSON.stringify(daily.json)).toBe(200);
    const items = daily.json.items as Array<Record<string, unknown>>;
    expect(items).toEqual([expect.objectContaining({ day: today(), key: "reply", requests: 2, failed: 0 })]);
    expect(retailOf(items)).toBe(await retailOfEvents(a.developerId));
    const item = items[0]!;
    expect(
      units(item.cost_usd as string) + units(item.developer_usd as string) + units(item.platform_usd as string),
    ).toBe(units(item.retail_usd as string));
    const byApp = await api(a.token, "/v1/developer/usage/daily?by=app");
    expect((byApp.json.items as Array<{ key: string }>).map((row) => row.key)).toEqual([a.appId]);
  });

  it("is the same, never counted twice, once the worker has rolled the events up, and counts what came after", async () => {
    const before = await api(a.token, "/v1/developer/usage/daily?by=route_mode");
    expect(await refreshUsageRollup(database.db, { lagSeconds: 0, maxDays: 3650 })).not.toBeNull();
    const after = await api(a.token, "/v1/developer/usage/daily?by=route_mode");
    expect(after.json.items).toEqual(before.json.items);
    expect(after.json.rolled_up_to).not.toBeNull();
    const { rows } = await database.db.query("SELECT 1 FROM usage_daily WHERE developer_id = $1", [a.developerId]);
    expect(rows.length).toBeGreaterThan(0);

    await chat(a);
    const later = await api(a.token, "/v1/developer/usage/daily?by=route_mode");
    const items = later.json.items as Array<Record<string, unknown>>;
    expect(items.reduce((sum, item) => sum + (item.requests as number), 0)).toBe(3);
    expect(retailOf(items)).toBe(await retailOfEvents(a.developerId));
    // A second refresh right away adds nothing twice.
    await refreshUsageRollup(database.db, { lagSeconds: 0, maxDays: 3650 });
    expect((await api(a.token, "/v1/developer/usage/daily?by=route_mode")).json.items).toEqual(items);
  });

  it("filters, and refuses a reversed or too long window", async () => {
    const filtered = await api(a.token, "/v1/developer/usage/daily?feature_key=nope");
    expect(filtered.json.items).toEqual([]);
    expect((await api(a.token, "/v1/developer/usage/daily?from=2026-02-01&to=2026-01-01")).status).toBe(400);
    expect((await api(a.token, "/v1/developer/usage/daily?from=2020-01-01&to=2026-01-01")).status).toBe(400);
    expect((await api(a.token, "/v1/developer/usage/daily?by=user")).status).toBe(400);
  });

  it("never shows another developer's usage, even when asked by developer_id", async () => {
    const own = await api(b.token, "/v1/developer/usage/daily?by=app");
    expect(JSON.stringify(own.json)).not.toContain(a.appId);
    const other = await api(b.token, `/v1/developer/usage/daily?developer_id=${a.developerId}`);
    expect(other.status).toBe(403);
  });

  it("gives the operator the platform's, or one developer's", async () => {
    const platform = await api(ADMIN_TOKEN, "/v1/admin/usage/daily?by=app");
    const keys = (platform.json.items as Array<{ key: string }>).map((row) => row.key);
    expect(keys).toEqual(expect.arrayContaining([a.appId, b.appId]));
    const one = await api(ADMIN_TOKEN, `/v1/admin/usage/daily?by=app&developer_id=${b.developerId}`);
    expect((one.json.items as Array<{ key: string }>).map((row) => row.key)).toEqual([b.appId]);
    expect((await api(a.token, "/v1/admin/usage/daily")).status).toBe(403);
  });
});

describe("request detail", () => {
  it("shows the owner tokens, the price split, the attempts and the time", async () => {
    const requestId = a.requestIds[0]!;
    const detail = await api(a.token, `/v1/developer/requests/${encodeURIComponent(requestId)}`);
    expect(detail.status, JSON.stringify(detail.json)).toBe(200);
    const [event] = await stack.usageOf(requestId);
    expect(detail.json).toMatchObject({
      request_id: requestId,
      app_id: a.appId,
      feature_key: "reply",
      route_mode: "platform",
      model: "mock-small",
      input_tokens: event!.input_tokens,
      output_tokens: event!.output_tokens,
    });
    expect(units(detail.json.retail_usd as string)).toBe(BigInt(event!.retail_units as string));
    const parts = ["cost_usd", "developer_usd", "platform_usd"].map((field) => units(detail.json[field] as string));
    expect(parts.reduce((sum, part) => sum + part, 0n)).toBe(units(detail.json.retail_usd as string));
    expect(detail.json.attempts).toEqual([expect.objectContaining({ outcome: "success", provider: "mock" })]);
  });

  it("is 404 for another developer's request, as for an unknown one", async () => {
    const other = await api(b.token, `/v1/developer/requests/${encodeURIComponent(a.requestIds[0]!)}`);
    expect(other.status).toBe(404);
    expect(JSON.stringify(other.json)).not.toContain(a.appId);
    expect((await api(b.token, "/v1/developer/requests/req_unknown")).status).toBe(404);
  });

  it("works with the dashboard's cookie session as with the token", async () => {
    const session = await signIn(stack.api, a.token);
    const response = await stack.api.inject({
      method: "GET",
      url: `/v1/developer/requests/${encodeURIComponent(a.requestIds[0]!)}`,
      headers: { cookie: session.cookie },
    });
    expect(response.statusCode, response.body).toBe(200);
    const denied = await stack.api.inject({
      method: "GET",
      url: `/v1/developer/requests/${encodeURIComponent(b.requestIds[0]!)}`,
      headers: { cookie: session.cookie },
    });
    expect(denied.statusCode).toBe(404);
  });
});

describe("catalog for developers", () => {
  it("lists the models in effect now with their prices", async () => {
    const models = await api(a.token, "/v1/developer/models");
    expect(models.status).toBe(200);
    expect(models.json.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: "mock-small", state: "current" })]),
    );
  });
});

describe("operator views", () => {
  it("lists wallets with balances, and a wallet's ledger entries", async () => {
    const wallets = await api(ADMIN_TOKEN, `/v1/admin/wallets?app_id=${a.appId}`);
    expect(wallets.status, JSON.stringify(wallets.json)).toBe(200);
    const items = wallets.json.items as Array<Record<string, string>>;
    expect(items.length).toBe(3);
    const wallet = items[0]!;
    expect(units(wallet.balance_usd!)).toBeLessThan(units("1.00000000"));
    const entries = await api(ADMIN_TOKEN, `/v1/admin/wallets/${wallet.wallet_id}/entries?limit=2`);
    const page = entries.json.items as Array<Record<string, string>>;
    expect(page).toHaveLength(2);
    expect(entries.json.next_cursor).not.toBeNull();
    const rest = await api(
      ADMIN_TOKEN,
      `/v1/admin/wallets/${wallet.wallet_id}/entries?cursor=${entries.json.next_cursor}`,
    );
    const all = [...page, ...(rest.json.items as Array<Record<string, string>>)];
    const credited = all.filter((entry) => entry.direction === "credit").map((entry) => units(entry.amount_usd!));
    expect(credited).toContain(units("1.00000000"));
    expect((await api(ADMIN_TOKEN, "/v1/admin/wallets/usr_unknown/entries")).status).toBe(404);
  });

  it("pages the audit log, newest first", async () => {
    const first = await api(ADMIN_TOKEN, "/v1/admin/audit-log?limit=2");
    const items = first.json.items as Array<{ id: string }>;
    expect(items).toHaveLength(2);
    expect(Number(items[0]!.id)).toBeGreaterThan(Number(items[1]!.id));
    const next = await api(ADMIN_TOKEN, `/v1/admin/audit-log?limit=2&cursor=${first.json.next_cursor}`);
    expect(Number((next.json.items as Array<{ id: string }>)[0]!.id)).toBeLessThan(Number(items[1]!.id));
    const mine = await api(ADMIN_TOKEN, `/v1/admin/audit-log?developer_id=${a.developerId}`);
    expect(
      (mine.json.items as Array<{ developer_id: string }>).every((entry) => entry.developer_id === a.developerId),
    ).toBe(true);
  });
});
