import type { UserLimits } from "@modelfaucet/contract";
import { formatUsd, parseUsd } from "@modelfaucet/core";
import { expirePendingTransfers, reconcile } from "@modelfaucet/ledger";
import { sweepBudgetReservations } from "@modelfaucet/store";
import type OpenAI from "openai";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, DEVELOPER_ADMIN_TOKEN, startRoutingStack, type RoutingStack } from "./helpers/routing-stack.js";

// Spending budgets through HTTP with the official openai client: per end
// user, per feature and per app, in USD and tokens, over a day, a month or a
// rolling window — a request that could break one is 402 budget_exceeded
// before upstream is called; holds keep concurrent requests exact; the
// worker sweeps what a dead Gateway left; GET /v1/user/limits shows it.

let stack: RoutingStack;
const ask = { model: "mock-small", max_tokens: 64, messages: [{ role: "user" as const, content: "hello" }] };
type Limits = Record<string, unknown>;

beforeAll(async () => {
  stack = await startRoutingStack();
});
afterAll(() => stack.close());
afterEach(async () => {
  expect((await reconcile(stack.database.db)).ok).toBe(true);
});

async function developerApi(path: string, method: string, body: unknown) {
  const response = await stack.fetchApi(path, { method, token: DEVELOPER_ADMIN_TOKEN, body });
  const json = (await response.json()) as Record<string, unknown>;
  return { status: response.status, json };
}

/** A public app of the demo developer, with `limits` when given; its id. */
async function newApp(limits?: Limits): Promise<string> {
  const created = await developerApi("/v1/developer/apps", "POST", {
    developer_id: "dev_demo",
    name: "budgeted",
    session_mode: "public",
    ...(limits ? { limits } : {}),
  });
  expect(created.status).toBe(201);
  return created.json.public_app_id as string;
}

/** A platform-only feature of `appId` (unless `overrides` say otherwise), its manifest written through the developer API. */
async function newFeature(
  appId: string,
  featureKey: string,
  limits?: Limits,
  overrides: { policy?: Limits; pricing?: Limits } = {},
) {
  const created = await developerApi(`/v1/developer/apps/${appId}/features`, "POST", {
    feature_key: featureKey,
    display_name: featureKey,
    policy: {
      route_preference: ["platform_pool"],
      default_model: "mock-small",
      max_output_tokens: 64,
      ...(limits ? { limits } : {}),
      ...overrides.policy,
    },
    pricing: {
      mode: "usage_markup",
      markup_percent: 30,
      channel_share_bps: 4000,
      byok_gateway_fee_usd: "0",
      ...overrides.pricing,
    },
  });
  expect(created.status).toBe(201);
}

async function newUser(appId: string, externalUserId: string, usd = "10.00") {
  const minted = await stack.fetchApi("/v1/sessions", {
    method: "POST",
    body: { public_app_id: appId, external_user_id: externalUserId },
  });
  expect(minted.ok).toBe(true);
  const { session_token: token } = (await minted.json()) as { session_token: string };
  const wallet = (await (await stack.fetchApi("/v1/user/wallet", { token })).json()) as { wallet_id: string };
  const credited = await stack.fetchApi(`/v1/admin/wallets/${wallet.wallet_id}/credit-test-balance`, {
    method: "POST",
    token: ADMIN_TOKEN,
    body: { amount_usd: usd },
  });
  expect(credited.ok).toBe(true);
  return { token, endUserId: wallet.wallet_id };
}

const chat = (token: string, featureKey: string) =>
  stack.client(token).chat.completions.create({ ...ask, metadata: { feature_key: featureKey } });

/** The request's failure as the openai client raised it, or undefined when it succeeded. */
const outcome = (request: Promise<unknown>) =>
  request.then(
    () => undefined,
    (error: unknown) => error as InstanceType<typeof OpenAI.APIError>,
  );

async function limitsOf(token: string): Promise<UserLimits> {
  const response = await stack.fetchApi("/v1/user/limits", { token });
  expect(response.status).toBe(200);
  return (await response.json()) as UserLimits;
}

/** Σ retail and Σ input + output tokens of the usage events of `appId` (of one end user or feature if named). */
async function usageSums(appId: string, where: { endUserId?: string; featureKey?: string } = {}) {
  const { rows } = await stack.database.db.query<{ units: string; tokens: string; n: string }>(
    `SELECT coalesce(sum(retail_units), 0)::text AS units, coalesce(sum(input_tokens + output_tokens), 0)::text AS tokens,
            count(*)::text AS n
       FROM usage_events WHERE app_id = $1 AND ($2::text IS NULL OR end_user_id = $2)
        AND ($3::text IS NULL OR feature_key = $3)`,
    [appId, where.endUserId ?? null, where.featureKey ?? null],
  );
  return { units: BigInt(rows[0]!.units), tokens: Number(rows[0]!.tokens), count: Number(rows[0]!.n) };
}

/** What one request of `ask` reserves: learnt from the 402 of a budget of 0 (it names what it needed). */
let reservation: { units: bigint; tokens: number };
/** What one request of `ask` actually costs and uses (the mock answers deterministically). */
let actual: { units: bigint; tokens: number };

/** Moves a counter's buckets `hours` into the past, as time passing would (no sleeping). */
async function ageBuckets(appId: string, hours: number) {
  await stack.database.db.query(
    `UPDATE budget_counters SET bucket_start = bucket_start - make_interval(hours => $2) WHERE counter_key LIKE $1`,
    [`${appId}|%`, hours],
  );
}

describe("spending budgets", () => {
  it("measures one request: its reservation (from a 402 on a zero budget) and its actual price", async () => {
    const appId = await newApp();
    await newFeature(appId, "zero-usd", { budgets: [{ scope: "end_user", period: "day", max_usd: "0" }] });
    await newFeature(appId, "zero-tokens", { budgets: [{ scope: "end_user", period: "day", max_tokens: 0 }] });
    await newFeature(appId, "free");
    const { token, endUserId } = await newUser(appId, "probe");
    const calls = stack.platform.calls.count;
    const usd = await outcome(chat(token, "zero-usd"));
    const tokens = await outcome(chat(token, "zero-tokens"));
    // Refused before any upstream call, the wallet hold given back.
    expect(stack.platform.calls.count).toBe(calls);
    expect(await stack.wallet(token)).toMatchObject({ held_usd: "0.00000000" });
    expect(usd?.status).toBe(402);
    expect(usd?.code).toBe("budget_exceeded");
    // The envelope's facts sit beside code and message in `error` (as insufficient_balance's needed_usd do).
    const raw = usd?.error as Record<string, unknown>;
    expect(raw).toMatchObject({
      budget_scope: "end_user",
      budget_period: "day",
      limit_usd: "0.00000000",
      remaining_usd: "0.00000000",
    });
    expect(usd?.message).toMatch(/the end user's daily budget for feature "zero-usd" of 0\.00000000 USD/);
    const tokenDetails = (tokens?.error as Record<string, unknown>) ?? {};
    expect(tokenDetails).toMatchObject({ limit_tokens: 0, remaining_tokens: 0 });
    reservation = { units: parseUsd(raw.needed_usd as string), tokens: tokenDetails.needed_tokens as number };
    expect(reservation.units).toBeGreaterThan(0n);
    expect(reservation.tokens).toBeGreaterThan(ask.max_tokens);

    await chat(token, "free");
    const used = await usageSums(appId, { endUserId });
    actual = { units: used.units, tokens: used.tokens };
    expect(actual.units).toBeGreaterThan(0n);
    expect(actual.units).toBeLessThan(reservation.units);
    expect(actual.tokens).toBeLessThanOrEqual(reservation.tokens);
  });

  it("serves an end user's requests until the next could exceed their USD budget, then 402 before upstream", async () => {
    // Room for the reservation, then two more actual prices: three requests fit, the fourth could not.
    const limit = reservation.units + 2n * actual.units;
    const appId = await newApp();
    await newFeature(appId, "draft", {
      budgets: [{ scope: "end_user", period: "day", max_usd: formatUsd(limit) }],
    });
    const alice = await newUser(appId, "alice");
    const bob = await newUser(appId, "bob");
    for (let i = 0; i < 3; i += 1) expect(await outcome(chat(alice.token, "draft"))).toBeUndefined();
    const calls = stack.platform.calls.count;
    const refused = await outcome(chat(alice.token, "draft"));
    expect(refused?.status).toBe(402);
    expect(refused?.code).toBe("budget_exceeded");
    expect(stack.platform.calls.count).toBe(calls);
    expect(refused?.error).toMatchObject({
      limit_usd: formatUsd(limit),
      remaining_usd: formatUsd(limit - 3n * actual.units),
      needed_usd: formatUsd(reservation.units),
    });
    // Per end user: Bob's budget is his own.
    expect(await outcome(chat(bob.token, "draft"))).toBeUndefined();

    const [budget] = (await limitsOf(alice.token)).budgets;
    const sums = await usageSums(appId, { endUserId: alice.endUserId });
    expect(budget).toMatchObject({
      source: "feature",
      feature_key: "draft",
      scope: "end_user",
      period: "day",
      window_hours: null,
      limit_usd: formatUsd(limit),
      used_usd: formatUsd(sums.units),
      held_usd: "0.00000000",
      remaining_usd: formatUsd(limit - sums.units),
      limit_tokens: null,
      used_tokens: sums.tokens,
      held_tokens: 0,
      remaining_tokens: null,
    });
    const startOfDay = new Date();
    startOfDay.setUTCHours(0, 0, 0, 0);
    expect(budget!.counted_from).toBe(startOfDay.toISOString());
    expect(budget!.resets_at).toBe(new Date(startOfDay.getTime() + 86_400_000).toISOString());

    // The next UTC day: the day's buckets are yesterday's, the budget starts again.
    await ageBuckets(appId, 24);
    expect((await limitsOf(alice.token)).budgets[0]).toMatchObject({ used_usd: "0.00000000", used_tokens: 0 });
    expect(await outcome(chat(alice.token, "draft"))).toBeUndefined();
  });

  it("counts input + output tokens against a token budget", async () => {
    // The reservation, then one more actual: two requests fit, the third could not.
    const appId = await newApp();
    await newFeature(appId, "tokens", {
      budgets: [{ scope: "end_user", period: "month", max_tokens: reservation.tokens + actual.tokens }],
    });
    const { token, endUserId } = await newUser(appId, "tok");
    expect(await outcome(chat(token, "tokens"))).toBeUndefined();
    expect(await outcome(chat(token, "tokens"))).toBeUndefined();
    const refused = await outcome(chat(token, "tokens"));
    expect(refused?.code).toBe("budget_exceeded");
    expect(refused?.error).toMatchObject({
      budget_period: "month",
      limit_tokens: reservation.tokens + actual.tokens,
      remaining_tokens: reservation.tokens - actual.tokens,
      needed_tokens: reservation.tokens,
    });
    const sums = await usageSums(appId, { endUserId });
    expect((await limitsOf(token)).budgets[0]).toMatchObject({
      period: "month",
      used_tokens: sums.tokens,
      remaining_tokens: reservation.tokens + actual.tokens - sums.tokens,
      limit_usd: null,
      used_usd: formatUsd(sums.units),
    });
  });

  it("shares a feature-wide budget between the feature's end users, and an app-wide one across features", async () => {
    const oneAndABit = formatUsd(reservation.units + actual.units);
    const appId = await newApp({ budgets: [{ scope: "app", period: "day", max_usd: oneAndABit }] });
    await newFeature(appId, "shared", { budgets: [{ scope: "feature", period: "day", max_usd: oneAndABit }] });
    await newFeature(appId, "other");
    const carol = await newUser(appId, "carol");
    const dave = await newUser(appId, "dave");
    // The feature's budget: Carol's request and Dave's fit, a third (anyone's) could not.
    expect(await outcome(chat(carol.token, "shared"))).toBeUndefined();
    expect(await outcome(chat(dave.token, "shared"))).toBeUndefined();
    const refused = await outcome(chat(carol.token, "shared"));
    expect(refused?.code).toBe("budget_exceeded");
    // Which budget: the app's is listed first and is just as full; it refused first.
    expect(refused?.error).toMatchObject({ budget_scope: "app", budget_feature_key: null });
    // The app's budget counts the other feature too: full for it as well.
    expect((await outcome(chat(dave.token, "other")))?.code).toBe("budget_exceeded");

    const sums = await usageSums(appId);
    const carolView = await limitsOf(carol.token);
    expect(carolView.budgets.map((budget) => [budget.source, budget.scope, budget.used_usd])).toEqual([
      ["app", "app", formatUsd(sums.units)],
      ["feature", "feature", formatUsd((await usageSums(appId, { featureKey: "shared" })).units)],
    ]);
    // Dave sees the same shared numbers.
    expect((await limitsOf(dave.token)).budgets).toEqual(carolView.budgets);

    // Removing the app's limits through the developer API leaves the feature's budget in charge.
    const patched = await developerApi(`/v1/developer/apps/${appId}`, "PATCH", { limits: null });
    expect(patched).toMatchObject({ status: 200, json: { limits: null } });
    expect((await limitsOf(carol.token)).budgets.map((budget) => budget.source)).toEqual(["feature"]);
  });

  it("lets spending leave a rolling window hour by hour", async () => {
    const appId = await newApp({
      budgets: [{ scope: "end_user", period: "rolling", window_hours: 3, max_usd: formatUsd(reservation.units) }],
    });
    await newFeature(appId, "roll");
    const { token } = await newUser(appId, "erin");
    expect(await outcome(chat(token, "roll"))).toBeUndefined();
    expect((await outcome(chat(token, "roll")))?.code).toBe("budget_exceeded");
    const [budget] = (await limitsOf(token)).budgets;
    expect(budget).toMatchObject({ source: "app", feature_key: null, period: "rolling", window_hours: 3 });
    expect(Date.parse(budget!.resets_at) - Date.parse(budget!.counted_from)).toBe(3 * 3_600_000);
    // Two hours later the spending is still in the window; three hours later it has left.
    await ageBuckets(appId, 2);
    expect((await outcome(chat(token, "roll")))?.code).toBe("budget_exceeded");
    await ageBuckets(appId, 1);
    expect((await limitsOf(token)).budgets[0]).toMatchObject({ used_usd: "0.00000000" });
    expect(await outcome(chat(token, "roll"))).toBeUndefined();
  });

  it("admits exactly as many of 20 concurrent requests as the budget holds", async () => {
    const fits = 7;
    const appId = await newApp();
    await newFeature(appId, "burst", {
      budgets: [{ scope: "end_user", period: "day", max_usd: formatUsd(BigInt(fits) * reservation.units) }],
    });
    const { token, endUserId } = await newUser(appId, "frank", "50.00");
    // Upstream answers nothing until every request has reserved or been refused: none settles early.
    const release = stack.platform.hold();
    let refusedSoFar = 0;
    try {
      const outcomes = Array.from({ length: 20 }, () =>
        outcome(chat(token, "burst")).then((error) => {
          if (error) refusedSoFar += 1;
          return error;
        }),
      );
      await expect
        .poll(async () => refusedSoFar + (await limitsOf(token)).budgets[0]!.held_usd, { timeout: 30_000 })
        .toBe(`${20 - fits}${formatUsd(BigInt(fits) * reservation.units)}`);
      release();
      const refused = (await Promise.all(outcomes)).filter((error) => error !== undefined);
      expect(refused).toHaveLength(20 - fits);
      for (const error of refused) expect(error.code).toBe("budget_exceeded");
    } finally {
      release();
    }
    const sums = await usageSums(appId, { endUserId });
    expect(sums.count).toBe(fits);
    expect((await limitsOf(token)).budgets[0]).toMatchObject({
      used_usd: formatUsd(sums.units),
      held_usd: "0.00000000",
      used_tokens: sums.tokens,
    });
  });

  it("gives back the reservation of a request a dead Gateway never settled, once its hold expires", async () => {
    const appId = await newApp();
    await newFeature(appId, "crash", {
      budgets: [{ scope: "end_user", period: "day", max_usd: formatUsd(reservation.units) }],
    });
    const { token } = await newUser(appId, "gina");
    const release = stack.platform.hold();
    const inFlight = outcome(chat(token, "crash"));
    try {
      await expect
        .poll(async () => (await limitsOf(token)).budgets[0]!.held_usd, { timeout: 10_000 })
        .toBe(formatUsd(reservation.units));
      // What the worker does an hour on: the wallet hold expires, the reservation is swept (no usage event).
      const later = new Date(Date.now() + 3_600_000);
      await expirePendingTransfers(stack.database.db, { now: later, limit: 100 });
      expect(await sweepBudgetReservations(stack.database.db, { now: later, limit: 100 })).toBeGreaterThanOrEqual(1);
      expect((await limitsOf(token)).budgets[0]).toMatchObject({ held_usd: "0.00000000", used_usd: "0.00000000" });
    } finally {
      release();
    }
    // The late settlement is refused whole (the hold expired): nothing charged, nothing counted.
    expect((await inFlight)?.status).toBeGreaterThanOrEqual(500);
    expect((await limitsOf(token)).budgets[0]).toMatchObject({ held_usd: "0.00000000", used_usd: "0.00000000" });
    expect(await outcome(chat(token, "crash"))).toBeUndefined();
  });

  it("counts local calls: the fee held with the ticket, the fee and the reported tokens once it settles", async () => {
    const appId = await newApp();
    await newFeature(
      appId,
      "on-device",
      { budgets: [{ scope: "end_user", period: "day", max_usd: "0.02", max_tokens: 1000 }] },
      { policy: { route_preference: ["local"] }, pricing: { local_fee_usd: "0.01" } },
    );
    const { token, endUserId } = await newUser(appId, "ivy");
    const ticket = async () => {
      const response = await stack.fetchApi("/v1/local/tickets", { method: "POST", token, body: {} });
      return { status: response.status, json: (await response.json()) as Record<string, unknown> };
    };
    const first = await ticket();
    expect(first.status).toBe(201);
    expect((await limitsOf(token)).budgets[0]).toMatchObject({ held_usd: "0.01000000", held_tokens: 0 });
    const reported = await stack.fetchApi("/v1/usage/local-report", {
      method: "POST",
      token: first.json.ticket as string,
      body: {
        request_id: "req_ivy_local_1",
        model: "llama3",
        input_tokens: 300,
        output_tokens: 200,
        usage_source: "upstream",
      },
    });
    expect(reported.ok).toBe(true);
    const sums = await usageSums(appId, { endUserId });
    expect(sums).toMatchObject({ units: 1_000_000n, tokens: 500 });
    expect((await limitsOf(token)).budgets[0]).toMatchObject({
      used_usd: "0.01000000",
      held_usd: "0.00000000",
      used_tokens: 500,
      remaining_tokens: 500,
    });
    // A second ticket fits the USD budget exactly; a third could not.
    expect((await ticket()).status).toBe(201);
    const refused = await ticket();
    expect(refused).toMatchObject({
      status: 402,
      json: { error: { code: "budget_exceeded", limit_usd: "0.02000000" } },
    });
    expect(await stack.wallet(token)).toMatchObject({ held_usd: "0.01000000" });
  });

  it("hands an app's per-minute rates set through the developer API to the Gateway, and lists them", async () => {
    const appId = await newApp({ requests_per_minute: 2 });
    await newFeature(appId, "rated", { tokens_per_minute: 100_000 });
    const { token } = await newUser(appId, "jack");
    expect(await outcome(chat(token, "rated"))).toBeUndefined();
    expect(await outcome(chat(token, "rated"))).toBeUndefined();
    expect((await outcome(chat(token, "rated")))?.status).toBe(429);
    expect(await limitsOf(token)).toMatchObject({
      budgets: [],
      rate_limits: [
        { source: "app", feature_key: null, requests_per_minute: 2, tokens_per_minute: null },
        { source: "feature", feature_key: "rated", requests_per_minute: null, tokens_per_minute: 100_000 },
      ],
    });
  });

  it("refuses a malformed app budget with a 400 envelope", async () => {
    const refused = await developerApi("/v1/developer/apps", "POST", {
      developer_id: "dev_demo",
      name: "bad",
      limits: { budgets: [{ scope: "feature", period: "rolling", max_usd: "1" }] },
    });
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({ error: { code: "invalid_request" } });
  });
});
