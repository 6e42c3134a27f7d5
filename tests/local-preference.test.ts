// A feature that prefers local (issue 10, item 5): the cloud never serves
// local — the SDK sends local calls to the Local Bridge itself — so a request
// that reaches the Gateway takes the next allowed cloud route, whether or not
// the user registered a local endpoint; chat, embeddings and responses alike.
// Only a feature whose one route is `local` answers 503
// local_bridge_unavailable, with a hint, before any hold or upstream call.
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startRoutingStack, type RoutingStack } from "./helpers/routing-stack.js";

let stack: RoutingStack;

beforeAll(async () => {
  stack = await startRoutingStack();
  await stack.feature("local_then_cloud", { route_preference: ["local", "end_user_byok", "platform_pool"] });
  await stack.feature("local_only", { route_preference: ["local"] });
});
afterAll(async () => {
  await stack.close();
});
beforeEach(() => {
  stack.platform.resetCalls();
  stack.byok.resetCalls();
});

const messages = [{ role: "user" as const, content: "Summarize my notes." }];
const metadata = (feature: string) => ({ metadata: { feature_key: feature } });

/** One call per endpoint under `feature`, through the official client; each answer's modelfaucet block. */
function callEveryEndpoint(client: OpenAI, feature: string) {
  const blockOf = (answer: unknown) => (answer as { modelfaucet: { route_mode: string } }).modelfaucet;
  return {
    chat: () => client.chat.completions.create({ model: `auto:${feature}`, messages }).then(blockOf),
    embeddings: () =>
      client.embeddings.create({ model: "mock-embed", input: "notes", ...metadata(feature) }).then(blockOf),
    responses: () =>
      client.responses.create({ model: "mock-small", input: "notes", ...metadata(feature) }).then(blockOf),
  };
}

async function registerLocalEndpoint(token: string) {
  const created = await stack.fetchApi("/v1/local/endpoints", {
    method: "POST",
    token,
    body: { name: "laptop", runtime: "ollama", models: ["llama3.1:8b"] },
  });
  expect(created.status).toBe(201);
}

describe("route_preference starting with local", () => {
  it("serves chat, embeddings and responses on the next cloud route for a user with a local endpoint", async () => {
    const { token } = await stack.user("prefers-local-1", "1.00");
    await registerLocalEndpoint(token);
    const calls = callEveryEndpoint(stack.client(token), "local_then_cloud");
    for (const call of [calls.chat, calls.embeddings, calls.responses]) {
      expect(await call()).toMatchObject({ route_mode: "platform", feature_key: "local_then_cloud" });
    }
    expect(await stack.wallet(token)).toMatchObject({ held_usd: "0.00000000" });
  });

  it("takes the route that follows local, here the user's own key, as it would without local", async () => {
    const { token } = await stack.user("prefers-local-2", "1.00");
    await registerLocalEndpoint(token);
    await stack.userKey(token, {
      provider: "openai_compatible",
      api_key: stack.byokKey,
      base_url: `${stack.byok.url}/v1`,
    });
    const calls = callEveryEndpoint(stack.client(token), "local_then_cloud");
    for (const call of [calls.chat, calls.embeddings, calls.responses]) {
      expect(await call()).toMatchObject({ route_mode: "byok" });
    }
    // The mocks count chat calls (responses over them included): none reached the platform.
    expect(stack.platform.calls.count).toBe(0);
  });

  it("answers 503 local_bridge_unavailable with a hint on every endpoint when local is the only route", async () => {
    for (const withEndpoint of [false, true]) {
      const { token } = await stack.user(`local-only-${withEndpoint}`, "1.00");
      if (withEndpoint) await registerLocalEndpoint(token);
      const calls = callEveryEndpoint(stack.client(token), "local_only");
      for (const call of [calls.chat, calls.embeddings, calls.responses]) {
        const error = await call().catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(OpenAI.APIError);
        const apiError = error as InstanceType<typeof OpenAI.APIError>;
        expect(apiError.status).toBe(503);
        expect(apiError.code).toBe("local_bridge_unavailable");
        expect(apiError.message).toMatch(/Local Bridge/);
      }
      expect(await stack.wallet(token)).toMatchObject({ balance_usd: "1.00000000", held_usd: "0.00000000" });
    }
    expect(stack.platform.calls.count + stack.byok.calls.count).toBe(0);
  });
});
