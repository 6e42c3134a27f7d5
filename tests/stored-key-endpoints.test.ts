import { accountIds, getBalance, reconcile } from "@modelfaucet/ledger";
import type OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEVELOPER_ADMIN_TOKEN, startRoutingStack, type RoutingStack } from "./helpers/routing-stack.js";

// Embeddings and Responses follow the feature's route_preference like chat:
// a user's BYOK key and a developer key (stored through the API, pointing at
// an OpenAI-compatible mock) serve them, billed per route.

let stack: RoutingStack;
let token: string;
let developerKeyId: string;

interface Block {
  request_id: string;
  route_mode: string;
  price_usd: string;
}

beforeAll(async () => {
  stack = await startRoutingStack();
  await stack.feature(
    "endpoints_byok",
    { route_preference: ["end_user_byok", "platform_pool"] },
    {
      byok_gateway_fee_usd: "0.00100000",
    },
  );
  await stack.feature("endpoints_developer", { route_preference: ["developer_key", "platform_pool"] });
  ({ token } = await stack.user("endpoints-user", "10.00"));
  await stack.userKey(token, {
    provider: "openai_compatible",
    api_key: stack.byokKey,
    base_url: `${stack.byok.url}/v1`,
  });
  developerKeyId = await stack.developerKeyThroughApi("1.00");
});
afterAll(() => stack.close());

/** A body with our `metadata.feature_key`, which the client's types do not know for every endpoint. */
function withFeature<T extends object>(body: T, feature: string): T {
  return { ...body, metadata: { feature_key: feature } };
}

async function costOf(requestId: string) {
  await expect.poll(() => stack.usageEvent(requestId), { timeout: 5000 }).toBeDefined();
  const event = (await stack.usageEvent(requestId))!;
  return { route_mode: event.route_mode, cost_units: BigInt(String(event.cost_units)) };
}

const budget = async () => (await getBalance(stack.database.db, accountIds.keyBudget(developerKeyId)))!;

describe.each([
  { feature: "endpoints_byok", route: "byok" },
  { feature: "endpoints_developer", route: "developer_key" },
])("over a stored $route key", ({ feature, route }) => {
  it("embeds (base64 by default) on the stored key, not the platform pool", async () => {
    const platformCalls = stack.platform.calls.count;
    const keyCalls = stack.byok.calls.count;
    const spent = route === "developer_key" ? (await budget()).debitsPosted : 0n;
    const result = await stack
      .client(token)
      .embeddings.create(withFeature({ model: "mock-embed", input: ["one line", "another line"] }, feature));
    expect(result.data).toHaveLength(2);
    expect(result.data[0]!.embedding.length).toBeGreaterThan(0);
    const block = (result as unknown as { modelfaucet: Block }).modelfaucet;
    expect(block.route_mode).toBe(route);
    expect(stack.byok.calls.count).toBe(keyCalls + 1);
    expect(stack.platform.calls.count).toBe(platformCalls);
    const usage = await costOf(block.request_id);
    expect(usage.route_mode).toBe(route);
    if (route === "byok") {
      expect(usage.cost_units).toBe(0n);
      expect(block.price_usd).toBe("0.00100000");
    } else {
      expect(usage.cost_units).toBeGreaterThan(0n);
      expect((await budget()).debitsPosted - spent).toBe(usage.cost_units);
    }
  });

  it("answers a Responses request on the stored key", async () => {
    const platformCalls = stack.platform.calls.count;
    const response = await stack
      .client(token)
      .responses.create(withFeature({ model: "mock-small", input: "Say hello", max_output_tokens: 64 }, feature));
    expect(response.output_text.length).toBeGreaterThan(0);
    const block = (response as unknown as { modelfaucet: Block }).modelfaucet;
    expect(block.route_mode).toBe(route);
    expect(stack.platform.calls.count).toBe(platformCalls);
    expect((await costOf(block.request_id)).route_mode).toBe(route);
  });

  it("streams a Responses request on the stored key", async () => {
    const platformCalls = stack.platform.calls.count;
    const stream = await stack
      .client(token)
      .responses.create(
        withFeature({ model: "mock-small", input: "Say hello", max_output_tokens: 64, stream: true as const }, feature),
      );
    let text = "";
    let completed: OpenAI.Responses.Response | undefined;
    for await (const event of stream) {
      if (event.type === "response.output_text.delta") text += event.delta;
      if (event.type === "response.completed") completed = event.response;
    }
    expect(text.length).toBeGreaterThan(0);
    expect(completed?.output_text ?? text).toBe(text);
    expect(stack.platform.calls.count).toBe(platformCalls);
  });
});

describe("developer-key budget on embeddings", () => {
  it("is enforced there too: an exhausted budget is 402 budget_exceeded", async () => {
    const lowered = await stack.fetchApi(`/v1/developer/provider-keys/${developerKeyId}?developer_id=dev_demo`, {
      method: "PATCH",
      token: DEVELOPER_ADMIN_TOKEN,
      body: { budget_limit_usd: "0.00000000" },
    });
    expect(lowered.status).toBe(200);
    const refused = await stack
      .client(token)
      .embeddings.create(withFeature({ model: "mock-embed", input: "one line" }, "endpoints_developer"))
      .catch((error: unknown) => error as { status: number; code: string });
    expect(refused).toMatchObject({ status: 402, code: "budget_exceeded" });
    expect(await stack.wallet(token)).toMatchObject({ held_usd: "0.00000000" });
    expect((await reconcile(stack.database.db)).ok).toBe(true);
  });

  it("never shows the stored key", () => {
    const seen = [...stack.transcript, ...stack.logLines].join("\n");
    expect(seen).not.toContain(stack.byokKey);
  });
});
