// Token and spend counters on the Gateway's /metrics (issue 15, item 6):
// `modelfaucet_tokens_total{service,route,model}` and
// `modelfaucet_spend_usd_total{service,route,model}` count what the usage
// events settled — input plus output tokens, and the retail USD the end
// users paid — per route mode and catalog model, streams included; a refused
// request counts nothing. The text still passes the Prometheus checks.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parsePrometheusText, promtoolCheck, type Sample } from "./helpers/prometheus-text.js";
import { startRoutingStack, type RoutingStack } from "./helpers/routing-stack.js";

const messages = [{ role: "user" as const, content: "Name three rivers, one line each." }];
const GATEWAY = "@modelfaucet/gateway";

let stack: RoutingStack;

beforeAll(async () => {
  stack = await startRoutingStack();
  await stack.feature("metered", { route_preference: ["platform_pool"] });
  await stack.feature("metered_byok", { route_preference: ["end_user_byok"] }, { byok_gateway_fee_usd: "0.00070000" });
});
afterAll(async () => {
  await stack.close();
});
afterEach(async () => {
  expect(await stack.reconciled()).toBe(true);
});

async function scrape(): Promise<Sample[]> {
  const text = await (await fetch(`${stack.gatewayUrl}/metrics`)).text();
  promtoolCheck(text);
  expect(text).toContain("# TYPE modelfaucet_tokens_total counter");
  expect(text).toContain("# TYPE modelfaucet_spend_usd_total counter");
  return parsePrometheusText(text);
}

/** What the usage events say per route mode and model: tokens (input + output) and retail units. */
async function settledTotals() {
  const { rows } = await stack.database.db.query<{ route_mode: string; model: string; tokens: string; retail: string }>(
    `SELECT route_mode, model, SUM(input_tokens + output_tokens)::text AS tokens, SUM(retail_units)::text AS retail
       FROM usage_events GROUP BY route_mode, model ORDER BY route_mode, model`,
  );
  return rows;
}

const seriesOf = (samples: Sample[], name: string) =>
  samples
    .filter((sample) => sample.name === name)
    .sort((a, b) => `${a.labels.route}/${a.labels.model}`.localeCompare(`${b.labels.route}/${b.labels.model}`));

describe("token and spend counters", () => {
  it("count each settled request's tokens and retail price by route mode and model", async () => {
    const user = await stack.user("metered-user", "5.00");
    const client = stack.client(user.token);
    await stack.userKey(user.token, {
      provider: "openai_compatible",
      api_key: stack.byokKey,
      base_url: `${stack.byok.url}/v1`,
    });
    await client.chat.completions.create({ model: "mock-small", messages, metadata: { feature_key: "metered" } });
    const stream = await client.chat.completions.create({
      model: "mock-small",
      messages,
      metadata: { feature_key: "metered" },
      stream: true,
      max_tokens: 40,
    });
    for await (const chunk of stream) void chunk;
    await client.chat.completions.create({ model: "mock-small", messages, metadata: { feature_key: "metered_byok" } });
    // A refused request (an empty wallet) settles nothing, so counts nothing.
    const broke = await stack.user("metered-broke");
    await expect(
      stack
        .client(broke.token)
        .chat.completions.create({ model: "mock-small", messages, metadata: { feature_key: "metered" } }),
    ).rejects.toMatchObject({ status: 402 });

    const totals = await settledTotals();
    expect(totals.map((row) => row.route_mode)).toEqual(["byok", "platform"]);
    const samples = await scrape();
    const tokens = seriesOf(samples, "modelfaucet_tokens_total");
    const spend = seriesOf(samples, "modelfaucet_spend_usd_total");
    expect(tokens.map((sample) => sample.labels)).toEqual(
      totals.map((row) => ({ service: GATEWAY, route: row.route_mode, model: row.model })),
    );
    expect(spend.map((sample) => sample.labels)).toEqual(tokens.map((sample) => sample.labels));
    totals.forEach((row, index) => {
      expect(tokens[index]!.value).toBe(Number(row.tokens));
      // Exact units in the ledger; the counter is their sum in USD as doubles.
      expect(spend[index]!.value).toBeCloseTo(Number(row.retail) / 1e8, 10);
      expect(spend[index]!.value).toBeGreaterThan(0);
    });
  });

  it("keep counting on later requests (a counter only grows)", async () => {
    const before = seriesOf(await scrape(), "modelfaucet_tokens_total");
    const user = await stack.user("metered-again", "1.00");
    await stack.client(user.token).chat.completions.create({
      model: "mock-small",
      messages,
      metadata: { feature_key: "metered" },
    });
    const platform = (await settledTotals()).find((row) => row.route_mode === "platform")!;
    const after = seriesOf(await scrape(), "modelfaucet_tokens_total");
    const platformBefore = before.find((sample) => sample.labels.route === "platform")!.value;
    const platformAfter = after.find((sample) => sample.labels.route === "platform")!.value;
    expect(platformAfter).toBeGreaterThan(platformBefore);
    expect(platformAfter).toBe(Number(platform.tokens));
  });
});
