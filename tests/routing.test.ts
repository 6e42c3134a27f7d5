import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, startRoutingStack, type RoutingStack } from "./helpers/routing-stack.js";

let stack: RoutingStack;
const messages = [{ role: "user" as const, content: "Say something about tides." }];
type Block = { route_mode: string; provider: string; model: string; price_usd: string; request_id: string };
const blockOf = (completion: unknown) => (completion as { modelfaucet: Block }).modelfaucet;
const units = (usd: string) => BigInt(usd.replace(".", ""));

beforeAll(async () => {
  stack = await startRoutingStack();
  // Features exist before the first Gateway request (the feature catalog caches per app).
  await stack.feature(
    "byok_fee",
    { route_preference: ["end_user_byok", "platform_pool"], fallback_to_platform: false },
    { byok_gateway_fee_usd: "0.00100000" },
  );
  // `auto:` means default_model here: these tests are about routes, not about which model is cheapest.
  await stack.feature("byok_free", {
    route_preference: ["end_user_byok", "platform_pool"],
    model_policy: "default_model",
  });
  await stack.feature("byok_only", { route_preference: ["end_user_byok"] });
  await stack.feature("developer_only", { route_preference: ["developer_key"] });
  await stack.feature("local_only", { route_preference: ["local"] });
});
afterAll(async () => {
  await stack.close();
});
beforeEach(() => {
  stack.platform.resetCalls();
  stack.byok.resetCalls();
});

async function reconciled() {
  const response = await fetch(`${stack.apiUrl}/v1/admin/reconciliation/ledger`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  return ((await response.json()) as { ok: boolean }).ok;
}

describe("route selection by the feature's route_preference", () => {
  it("sends a BYOK request to the user's own key, route_mode byok, charging only the explicit fee", async () => {
    const { token } = await stack.user("byok-1", "1.00");
    await stack.userKey(token, {
      provider: "openai_compatible",
      api_key: stack.byokKey,
      base_url: `${stack.byok.url}/v1`,
    });
    const { data, response } = await stack
      .client(token)
      .chat.completions.create({ model: "auto:byok_fee", messages, max_tokens: 64 })
      .withResponse();
    const block = blockOf(data);
    expect(block).toMatchObject({ route_mode: "byok", provider: "mock", model: "mock-small", price_usd: "0.00100000" });
    expect(stack.byok.calls.count).toBe(1);
    expect(stack.byok.calls.lastHeaders?.authorization).toBe(`Bearer ${stack.byokKey}`);
    expect(stack.platform.calls.count).toBe(0);

    const event = await stack.usageEvent(response.headers.get("x-request-id")!);
    expect(event).toMatchObject({ route_mode: "byok", outcome: "completed" });
    expect(BigInt(String(event!.cost_units))).toBe(0n);
    expect(BigInt(String(event!.retail_units))).toBe(units("0.00100000"));
    expect(BigInt(String(event!.developer_units)) + BigInt(String(event!.platform_units))).toBe(units("0.00100000"));
    expect(event!.attempts).toEqual([expect.objectContaining({ route_mode: "byok", outcome: "success" })]);
    expect(await stack.wallet(token)).toMatchObject({ balance_usd: "0.99900000", held_usd: "0.00000000" });
    expect(await reconciled()).toBe(true);
  });

  it("with a zero fee holds nothing: a user with an empty wallet can use their own key", async () => {
    const { token } = await stack.user("byok-2");
    await stack.userKey(token, {
      provider: "openai_compatible",
      api_key: stack.byokKey,
      base_url: `${stack.byok.url}/v1`,
    });
    const stream = await stack.client(token).chat.completions.create({
      model: "auto:byok_free",
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    let last: unknown;
    let text = "";
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      if (chunk.usage) last = chunk;
    }
    expect(text.length).toBeGreaterThan(0);
    const block = blockOf(last);
    expect(block).toMatchObject({ route_mode: "byok", price_usd: "0.00000000" });
    const event = await stack.usageEvent(block.request_id);
    expect(event).toMatchObject({ route_mode: "byok", stream: true });
    expect(BigInt(String(event!.retail_units))).toBe(0n);
    expect(BigInt(String(event!.held_units))).toBe(0n);
    expect(await stack.wallet(token)).toMatchObject({ balance_usd: "0.00000000", held_usd: "0.00000000" });
    expect(stack.platform.calls.count).toBe(0);
  });

  it("skips a key whose models_allowed does not permit the model, and uses the next route", async () => {
    const { token } = await stack.user("byok-3", "1.00");
    await stack.userKey(token, {
      provider: "openai_compatible",
      api_key: stack.byokKey,
      base_url: `${stack.byok.url}/v1`,
      models_allowed: ["mock-large"],
    });
    const small = await stack.client(token).chat.completions.create({ model: "auto:byok_free", messages });
    expect(blockOf(small).route_mode).toBe("platform");
    expect(stack.byok.calls.count).toBe(0);
    const large = await stack
      .client(token)
      .chat.completions.create({ model: "mock-large", messages, metadata: { feature_key: "byok_free" } });
    expect(blockOf(large)).toMatchObject({ route_mode: "byok", model: "mock-large" });
    expect(stack.byok.calls.count).toBe(1);
  });

  it("routes a developer-key feature to the developer's key, rated like the platform; the cost reimburses the developer", async () => {
    await stack.developerKey({ apiKey: stack.byokKey });
    const { token } = await stack.user("dev-1", "1.00");
    const { data, response } = await stack
      .client(token)
      .chat.completions.create({ model: "auto:developer_only", messages })
      .withResponse();
    expect(blockOf(data).route_mode).toBe("developer_key");
    expect(stack.byok.calls.count).toBe(1);
    const event = await stack.usageEvent(response.headers.get("x-request-id")!);
    expect(event).toMatchObject({ route_mode: "developer_key" });
    expect(BigInt(String(event!.cost_units))).toBeGreaterThan(0n);
    expect(BigInt(String(event!.retail_units))).toBe(units(blockOf(data).price_usd));
    // The developer paid the provider, so the cost part goes to the developer, none to platform:provider_cost.
    const { rows } = await stack.database.db.query<{ credit_account_id: string; code: string; amount: string }>(
      "SELECT credit_account_id, code, amount::text FROM ledger_transfers WHERE request_id = $1 AND kind = 'posted'",
      [response.headers.get("x-request-id")],
    );
    const cost = rows.find((row) => row.code === "usage_developer_key_cost");
    expect(cost?.credit_account_id).toMatch(/^developer:/);
    expect(BigInt(cost!.amount)).toBe(BigInt(String(event!.cost_units)));
    expect(rows.some((row) => row.credit_account_id === "platform:provider_cost")).toBe(false);
    expect(await reconciled()).toBe(true);
  });

  it("answers 503 no_available_route when a credential is missing, 503 local_bridge_unavailable for local only", async () => {
    const { token } = await stack.user("none-1", "1.00");
    const missing = await stack
      .client(token)
      .chat.completions.create({ model: "auto:byok_only", messages })
      .catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(OpenAI.APIError);
    expect((missing as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
    expect((missing as InstanceType<typeof OpenAI.APIError>).code).toBe("no_available_route");

    const excluded = await stack
      .client(token)
      .chat.completions.create({ model: "auto:local_only", messages })
      .catch((error: unknown) => error);
    expect((excluded as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
    expect((excluded as InstanceType<typeof OpenAI.APIError>).code).toBe("local_bridge_unavailable");
    expect(stack.platform.calls.count + stack.byok.calls.count).toBe(0);
    expect(await stack.wallet(token)).toMatchObject({ balance_usd: "1.00000000", held_usd: "0.00000000" });
  });

  it("never lets the BYOK key appear in a response, a log line, the metrics or /health/providers", async () => {
    const { token } = await stack.user("leak-1", "1.00");
    await stack.userKey(token, {
      provider: "openai_compatible",
      api_key: stack.byokKey,
      base_url: `${stack.byok.url}/v1`,
    });
    const listed = await stack.fetchApi("/v1/user/provider-keys", { token });
    expect(listed.status).toBe(200);
    // A failing upstream, so error paths are exercised too.
    stack.byok.setBehavior({ failure: "http_500" });
    try {
      const failed = await fetch(`${stack.gatewayUrl}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "auto:byok_fee", messages }),
      });
      expect(failed.status).toBe(502);
      stack.transcript.push(await failed.text(), JSON.stringify([...failed.headers]));
    } finally {
      stack.byok.setBehavior({ failure: "none" });
    }
    for (const path of ["/metrics", "/health/providers"]) {
      const response = await fetch(`${stack.gatewayUrl}${path}`);
      stack.transcript.push(await response.text());
    }
    expect(stack.logLines.length).toBeGreaterThan(0);
    for (const text of [...stack.transcript, ...stack.logLines]) {
      expect(text).not.toContain(stack.byokKey);
      expect(text).not.toContain(stack.byokKey.slice(8, 24));
    }
  });
});

describe("GET /v1/models", () => {
  it("lists the models a user's own key can serve, even without a platform credential for them", async () => {
    const { token } = await stack.user("models-byok");
    const before = (await stack.client(token).models.list({ query: { feature_key: "byok_only" } })).data.map(
      (m) => m.id,
    );
    expect(before).not.toContain("gpt-4o-mini");
    await stack.userKey(token, {
      provider: "openai_compatible",
      api_key: stack.byokKey,
      base_url: `${stack.byok.url}/v1`,
      models_allowed: ["gpt-4o-mini"],
    });
    // Key lists are cached for up to 2 s.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const after = (await stack.client(token).models.list({ query: { feature_key: "byok_only" } })).data.map(
      (m) => m.id,
    );
    expect(after).toEqual(["gpt-4o-mini"]);
  });
});
