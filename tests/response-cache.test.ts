// The response cache (issue 15, item 5): a feature that opts in with
// `policy.cache` answers an identical request again from the cache — billed
// at its `pricing.cache_price_usd`, marked `modelfaucet.cached: true` —
// never across apps, across users only when the feature shares, replayed as
// a stream or as JSON whichever way it was first answered. Through the
// official openai client, on PGlite and PostgreSQL; with TEST_REDIS_URL the
// Gateway's cache lives in Redis. Every test ends with reconciliation zero.
import { randomBytes } from "node:crypto";
import { testRedisUrl } from "@modelfaucet/db/testing";
import { connectRedis, createLogger, type Redis } from "@modelfaucet/server-kit";
import OpenAI from "openai";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parsePrometheusText } from "./helpers/prometheus-text.js";
import { ADMIN_TOKEN, DEVELOPER_ADMIN_TOKEN, startRoutingStack, type RoutingStack } from "./helpers/routing-stack.js";

/** Prompts carry this run's nonce: a shared Redis may still hold answers of an earlier run. */
const RUN = randomBytes(6).toString("hex");
const CACHE_PRICE = "0.00012345";

let stack: RoutingStack;
let redis: Redis | undefined;
let alice: { token: string; client: OpenAI };
let bob: { token: string; client: OpenAI };

interface Block {
  request_id: string;
  route_mode: string;
  price_usd: string;
  available_usd: string | null;
  cached?: boolean;
}
type Answer = OpenAI.ChatCompletion & { modelfaucet: Block; usage: OpenAI.CompletionUsage & { cost: number } };

async function manifest(publicAppId: string, featureKey: string, policy: object, pricing: object = {}) {
  const response = await stack.fetchApi(`/v1/developer/apps/${publicAppId}/features`, {
    method: "POST",
    token: DEVELOPER_ADMIN_TOKEN,
    body: {
      feature_key: featureKey,
      display_name: featureKey,
      policy: { route_preference: ["platform_pool"], default_model: "mock-small", ...policy },
      pricing: { markup_percent: 30, channel_share_bps: 4000, ...pricing },
    },
  });
  expect(response.status, await response.clone().text()).toBe(201);
}

/** A session of a new end user of `publicAppId`, its wallet credited with `usd`. */
async function endUser(publicAppId: string, usd: string) {
  const minted = await stack.fetchApi("/v1/sessions", {
    method: "POST",
    body: { public_app_id: publicAppId, external_user_id: `user-${randomBytes(6).toString("hex")}` },
  });
  const { session_token: token } = (await minted.json()) as { session_token: string };
  const wallet = (await (await stack.fetchApi("/v1/user/wallet", { token })).json()) as { wallet_id: string };
  if (usd !== "0") {
    const credited = await stack.fetchApi(`/v1/admin/wallets/${wallet.wallet_id}/credit-test-balance`, {
      method: "POST",
      token: ADMIN_TOKEN,
      body: { amount_usd: usd },
    });
    expect(credited.status).toBe(200);
  }
  return { token, client: stack.client(token) };
}

beforeAll(async () => {
  const redisUrl = testRedisUrl();
  redis = redisUrl ? connectRedis(redisUrl, createLogger({ level: "silent" })) : undefined;
  stack = await startRoutingStack({ redis });
  await manifest("app_demo", "cached", { cache: { ttl_seconds: 60 } }, { cache_price_usd: CACHE_PRICE });
  await manifest("app_demo", "shared", { cache: { ttl_seconds: 60, shared_across_users: true } });
  await manifest(
    "app_demo",
    "shared_paid",
    { cache: { ttl_seconds: 60, shared_across_users: true } },
    { cache_price_usd: "0.01000000" },
  );
  await manifest("app_demo", "short", { cache: { ttl_seconds: 1 } });
  await manifest("app_demo", "uncached", {});
  await manifest("app_demo", "two_routes", {
    route_preference: ["platform_pool", "end_user_byok"],
    cache: { ttl_seconds: 60 },
  });
  // Features are all made here: the Gateway reads an app's features through a 5 s cache.
  await manifest(
    "app_demo",
    "budgeted",
    {
      cache: { ttl_seconds: 60, shared_across_users: true },
      limits: { budgets: [{ scope: "end_user", period: "day", max_usd: "0.01500000" }] },
    },
    { cache_price_usd: "0.01000000" },
  );
  alice = await endUser("app_demo", "5.00");
  bob = await endUser("app_demo", "5.00");
});
afterAll(async () => {
  await stack.close();
  redis?.disconnect();
});
afterEach(async () => {
  const response = await stack.fetchApi("/v1/admin/reconciliation/ledger", { token: ADMIN_TOKEN });
  expect(((await response.json()) as { ok: boolean }).ok).toBe(true);
});

let prompts = 0;
/** A prompt no earlier request (of any run) sent. */
const freshPrompt = () => [{ role: "user" as const, content: `Run ${RUN}, prompt ${++prompts}: one line on rivers.` }];
const under = (feature: string) => ({ model: "mock-small", metadata: { feature_key: feature } });

async function ask(client: OpenAI, body: object, headers?: Record<string, string>) {
  const raw = await client.chat.completions
    .create(body as OpenAI.ChatCompletionCreateParamsNonStreaming, { headers })
    .asResponse();
  expect(raw.status).toBe(200);
  return (await raw.json()) as Answer;
}

/** A streamed answer: its chunks as parsed by the client, and its content joined. */
async function askStreaming(client: OpenAI, body: object) {
  const stream = await client.chat.completions.create({
    ...(body as OpenAI.ChatCompletionCreateParamsStreaming),
    stream: true,
    stream_options: { include_usage: true },
  });
  type Chunk = OpenAI.ChatCompletionChunk & { modelfaucet?: Block; usage?: { cost?: number } };
  const chunks: Chunk[] = [];
  for await (const chunk of stream) chunks.push(chunk as Chunk);
  const content = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("");
  return { chunks, content };
}

const platformCalls = () => stack.platform.calls.count;

async function available(token: string): Promise<string> {
  return ((await stack.wallet(token)) as unknown as { available_usd: string }).available_usd;
}

const units = (usd: string) => BigInt(usd.replace(".", ""));

describe("a feature with a cache", () => {
  it("answers an identical request from the cache, billed exactly its cache price", async () => {
    const body = { ...under("cached"), messages: freshPrompt() };
    const before = platformCalls();
    const first = await ask(alice.client, body);
    expect(first.modelfaucet.cached).toBeUndefined();
    const afterFirst = await available(alice.token);

    const second = await ask(alice.client, { ...body, model: "auto:cached" });
    expect(platformCalls()).toBe(before + 1);
    expect(second.modelfaucet).toMatchObject({ cached: true, price_usd: CACHE_PRICE, route_mode: "platform" });
    expect(second.choices).toEqual(first.choices);
    expect(second.id).not.toBe(first.id);
    expect(second.usage).toMatchObject({ prompt_tokens: 0, completion_tokens: 0, cost: Number(CACHE_PRICE) });
    // The wallet paid the cache price, and nothing else.
    expect(units(afterFirst) - units(await available(alice.token))).toBe(units(CACHE_PRICE));
    expect(second.modelfaucet.available_usd).toBe(await available(alice.token));

    const event = await stack.usageEvent(second.modelfaucet.request_id);
    expect(event).toMatchObject({ cached: true, input_tokens: 0, output_tokens: 0, route_mode: "platform" });
    // 12345 units, all margin: the developer's 40 % rounded down, the platform the rest.
    expect([event!.retail_units, event!.cost_units, event!.developer_units, event!.platform_units].map(String)).toEqual(
      ["12345", "0", "4938", "7407"],
    );
    const lookup = await fetch(`${stack.gatewayUrl}/v1/generation/${second.modelfaucet.request_id}`, {
      headers: { authorization: `Bearer ${alice.token}` },
    });
    expect(await lookup.json()).toMatchObject({ cached: true, price_usd: CACHE_PRICE, total_tokens: 0 });
    const firstLookup = await fetch(`${stack.gatewayUrl}/v1/generation/${first.modelfaucet.request_id}`, {
      headers: { authorization: `Bearer ${alice.token}` },
    });
    expect(await firstLookup.json()).toMatchObject({ cached: false });
  });

  it("replays an answer first given as JSON as a stream", async () => {
    const body = { ...under("cached"), messages: freshPrompt() };
    const first = await ask(alice.client, body);
    const before = platformCalls();
    const { chunks, content } = await askStreaming(alice.client, body);
    expect(platformCalls()).toBe(before);
    expect(content).toBe(first.choices[0]!.message.content);
    expect(chunks[0]!.choices[0]!.delta.role).toBe("assistant");
    expect(chunks.filter((chunk) => chunk.choices[0]?.delta.content).length).toBeGreaterThan(1);
    const finish = chunks.find((chunk) => chunk.choices[0]?.finish_reason);
    expect(finish?.choices[0]?.finish_reason).toBe(first.choices[0]!.finish_reason);
    expect(finish?.modelfaucet).toMatchObject({ cached: true, price_usd: CACHE_PRICE });
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({ completion_tokens: 0, cost: Number(CACHE_PRICE) });
    expect(last.modelfaucet).toMatchObject({ cached: true, request_id: finish?.modelfaucet?.request_id });
    expect(await stack.usageEvent(last.modelfaucet!.request_id)).toMatchObject({ cached: true, stream: true });
  });

  it("answers as JSON what was first streamed", async () => {
    const body = { ...under("cached"), messages: freshPrompt() };
    const streamed = await askStreaming(alice.client, body);
    expect(streamed.chunks.at(-1)!.modelfaucet!.cached).toBeUndefined();
    const before = platformCalls();
    const again = await ask(alice.client, body);
    expect(platformCalls()).toBe(before);
    expect(again.modelfaucet.cached).toBe(true);
    expect(again.choices[0]!.message.content).toBe(streamed.content);
    expect(again.choices[0]!.finish_reason).toBe("stop");
  });

  it("is kept per end user unless the feature shares it", async () => {
    const cached = { ...under("cached"), messages: freshPrompt() };
    await ask(alice.client, cached);
    const before = platformCalls();
    expect((await ask(bob.client, cached)).modelfaucet.cached).toBeUndefined();
    expect(platformCalls()).toBe(before + 1);

    const shared = { ...under("shared"), messages: freshPrompt() };
    await ask(alice.client, shared);
    const hit = await ask(bob.client, shared);
    expect(hit.modelfaucet).toMatchObject({ cached: true, price_usd: "0.00000000" });
    expect(platformCalls()).toBe(before + 2);
  });

  it("never serves another app, even for a shared feature", async () => {
    const created = await stack.fetchApi("/v1/developer/apps", {
      method: "POST",
      token: DEVELOPER_ADMIN_TOKEN,
      body: { developer_id: "dev_demo", name: `Other ${RUN}`, session_mode: "public" },
    });
    expect(created.status).toBe(201);
    const other = ((await created.json()) as { public_app_id: string }).public_app_id;
    await manifest(other, "shared", { cache: { ttl_seconds: 60, shared_across_users: true } });
    const carol = await endUser(other, "5.00");

    const body = { ...under("shared"), messages: freshPrompt() };
    await ask(alice.client, body);
    const before = platformCalls();
    expect((await ask(carol.client, body)).modelfaucet.cached).toBeUndefined();
    expect(platformCalls()).toBe(before + 1);
  });

  it("misses when any generation parameter differs", async () => {
    const body = { ...under("cached"), messages: freshPrompt() };
    await ask(alice.client, body);
    const before = platformCalls();
    for (const change of [{ temperature: 0.2 }, { max_tokens: 16 }, { seed: 3 }, { messages: freshPrompt() }]) {
      expect((await ask(alice.client, { ...body, ...change })).modelfaucet.cached).toBeUndefined();
    }
    expect(platformCalls()).toBe(before + 4);
    // …and hits when only what does not change the answer differs.
    expect((await ask(alice.client, { ...body, user: "label" })).modelfaucet.cached).toBe(true);
  });

  it("forgets an answer after its TTL", async () => {
    const body = { ...under("short"), messages: freshPrompt() };
    await ask(alice.client, body);
    expect((await ask(alice.client, body)).modelfaucet.cached).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const before = platformCalls();
    expect((await ask(alice.client, body)).modelfaucet.cached).toBeUndefined();
    expect(platformCalls()).toBe(before + 1);
  });

  it("serves an answer only on a route the request may take (x-modelfaucet-route)", async () => {
    await stack.userKey(alice.token, {
      provider: "openai_compatible",
      api_key: stack.byokKey,
      base_url: `${stack.byok.url}/v1`,
    });
    const body = { ...under("two_routes"), messages: freshPrompt() };
    expect((await ask(alice.client, body)).modelfaucet.route_mode).toBe("platform");
    const byokBefore = stack.byok.calls.count;
    const own = await ask(alice.client, body, { "x-modelfaucet-route": "byok" });
    expect(own.modelfaucet).toMatchObject({ route_mode: "byok" });
    expect(own.modelfaucet.cached).toBeUndefined();
    expect(stack.byok.calls.count).toBe(byokBefore + 1);
    // The entry now holds the answer of the user's key: it serves their key's route, and not the platform's.
    const again = await ask(alice.client, body, { "x-modelfaucet-route": "byok" });
    expect(again.modelfaucet).toMatchObject({ route_mode: "byok", cached: true });
    expect(stack.byok.calls.count).toBe(byokBefore + 1);
    const platformBefore = platformCalls();
    const platform = await ask(alice.client, body, { "x-modelfaucet-route": "platform" });
    expect(platform.modelfaucet).toMatchObject({ route_mode: "platform" });
    expect(platform.modelfaucet.cached).toBeUndefined();
    expect(platformCalls()).toBe(platformBefore + 1);
  });

  it("refuses a hit the wallet cannot pay (402), and serves a free one to an empty wallet", async () => {
    const broke = await endUser("app_demo", "0");
    const paid = { ...under("shared_paid"), messages: freshPrompt() };
    await ask(alice.client, paid);
    const before = platformCalls();
    const refused = await broke.client.chat.completions.create(paid as never).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenAI.APIError);
    expect((refused as InstanceType<typeof OpenAI.APIError>).status).toBe(402);
    expect((refused as { code?: string }).code).toBe("insufficient_balance");

    const free = { ...under("shared"), messages: freshPrompt() };
    await ask(alice.client, free);
    const hit = await ask(broke.client, free);
    expect(hit.modelfaucet).toMatchObject({ cached: true, price_usd: "0.00000000", available_usd: "0.00000000" });
    expect(platformCalls()).toBe(before + 1);
  });
});

describe("spending budgets", () => {
  it("count a hit's price like any charge", async () => {
    const dave = await endUser("app_demo", "5.00");
    const body = { ...under("budgeted"), messages: freshPrompt() };
    await ask(alice.client, body);
    expect((await ask(dave.client, body)).modelfaucet).toMatchObject({ cached: true, price_usd: "0.01000000" });
    // 0.01 spent of 0.015: a second hit at 0.01 would break the budget.
    const refused = await dave.client.chat.completions.create(body as never).catch((error: unknown) => error);
    expect((refused as InstanceType<typeof OpenAI.APIError>).status).toBe(402);
    expect((refused as { code?: string }).code).toBe("budget_exceeded");
    const limits = (await (await stack.fetchApi("/v1/user/limits", { token: dave.token })).json()) as {
      budgets: { used_usd: string }[];
    };
    expect(limits.budgets[0]).toMatchObject({ used_usd: "0.01000000" });
  });
});

describe("what is stored", () => {
  afterEach(() => {
    stack.platform.setBehavior({ failure: "none", chunkDelayMs: 0 });
  });

  it("never a stream cut by an upstream failure", async () => {
    const body = { ...under("cached"), messages: freshPrompt() };
    stack.platform.setBehavior({ failure: "mid_stream" });
    await expect(askStreaming(alice.client, body)).rejects.toThrow();
    stack.platform.setBehavior({ failure: "none" });
    const before = platformCalls();
    expect((await ask(alice.client, body)).modelfaucet.cached).toBeUndefined();
    expect(platformCalls()).toBe(before + 1);
  });

  it("never a stream the client left", async () => {
    const body = { ...under("cached"), messages: freshPrompt() };
    stack.platform.setBehavior({ chunkDelayMs: 50 });
    const stream = await alice.client.chat.completions.create({ ...body, stream: true });
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) break; // leaves the loop: the client aborts the request
    }
    stack.platform.setBehavior({ chunkDelayMs: 0 });
    // The abandoned request settles on its own; give it a moment before asking again.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = platformCalls();
    expect((await ask(alice.client, body)).modelfaucet.cached).toBeUndefined();
    expect(platformCalls()).toBe(before + 1);
  });

  it("keyed on what the client sent, before PII redaction", async () => {
    // Both prompts reach upstream as the same text ([EMAIL_1]), but they are different requests.
    const prompt = (email: string) => [
      { role: "user" as const, content: `Run ${RUN}: write to ${email} about rivers.` },
    ];
    const jane = { ...under("cached"), messages: prompt("jane.doe@example.com") };
    const john = { ...under("cached"), messages: prompt("john.roe@example.com") };
    const before = platformCalls();
    await ask(alice.client, jane);
    expect(JSON.stringify(stack.platform.calls.lastBody)).not.toContain("jane.doe@example.com");
    expect((await ask(alice.client, john)).modelfaucet.cached).toBeUndefined();
    expect(platformCalls()).toBe(before + 2);
    expect((await ask(alice.client, jane)).modelfaucet.cached).toBe(true);
    expect(platformCalls()).toBe(before + 2);
  });
});

describe("metrics", () => {
  it("count hits, misses and writes", async () => {
    const text = await (await fetch(`${stack.gatewayUrl}/metrics`)).text();
    const counts = Object.fromEntries(
      parsePrometheusText(text)
        .filter((sample) => sample.name === "modelfaucet_response_cache_total")
        .map((sample) => [sample.labels.result, sample.value]),
    );
    // The tests above hit, missed and stored many times over; nothing failed to store.
    expect(counts.hit).toBeGreaterThan(5);
    expect(counts.miss).toBeGreaterThan(5);
    expect(counts.stored).toBeGreaterThan(5);
    expect(counts.not_stored ?? 0).toBe(0);
  });
});

describe("a feature without a cache", () => {
  it("sends every request upstream", async () => {
    const body = { ...under("uncached"), messages: freshPrompt() };
    const before = platformCalls();
    for (let i = 0; i < 2; i++) expect((await ask(alice.client, body)).modelfaucet.cached).toBeUndefined();
    expect(platformCalls()).toBe(before + 2);
  });
});
