import { reconcile } from "@modelfaucet/ledger";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFlakyUpstream, type FlakyUpstream } from "./helpers/flaky-upstream.js";
import { startRoutingStack, type RoutingStack } from "./helpers/routing-stack.js";

// Embeddings and Responses run on chat's reliability (runOnRoutes): retries on
// 5xx and 429 (Retry-After honoured), fallback only where the key or the
// feature allows it and only once the next route's hold is placed, every
// attempt recorded on the usage event.

// Nothing listens on port 1 of loopback: a connection-refused upstream, allowed by the URL guard.
const DEAD_URL = "http://127.0.0.1:1/v1";

type Attempt = Record<string, unknown>;
type Block = { modelfaucet: { route_mode: string } };

let stack: RoutingStack;
let flaky: FlakyUpstream;

beforeAll(async () => {
  stack = await startRoutingStack({
    reliability: {
      retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterSeconds: 5 },
      circuitBreaker: { failureThreshold: 50 },
    },
  });
  // The user's own endpoint, behind a proxy that fails exactly when told to.
  flaky = await startFlakyUpstream(stack.byok.url);
  await stack.feature("strict", { route_preference: ["end_user_byok", "platform_pool"], fallback_to_platform: false });
  await stack.feature("lenient", { route_preference: ["end_user_byok", "platform_pool"], fallback_to_platform: true });
  await stack.feature("byok_then_developer", { route_preference: ["end_user_byok", "developer_key"] });
  // An embedding model only an Anthropic key could serve: Anthropic has no embeddings API.
  await stack.database.db.query(
    `INSERT INTO models (id, provider, upstream_model, input_price_per_mtok, cached_input_price_per_mtok,
                         output_price_per_mtok, context_window, max_output_tokens, capabilities, effective_from)
     VALUES ('claude-embed-test', 'anthropic', 'claude-embed-test', 2000000, 2000000, 0, 8192, 1, '{embeddings}',
             '2025-01-01')`,
  );
});
afterAll(async () => {
  await flaky.close();
  await stack.close();
});
beforeEach(() => {
  stack.platform.setBehavior({ failure: "none", retryAfterSeconds: 1 });
  stack.platform.resetCalls();
});

/** A funded user whose own key points at `baseUrl`. */
async function userWithKey(
  name: string,
  baseUrl: string,
  extra: Record<string, unknown> = {},
  usd: string | null = "1.00",
) {
  const user = await stack.user(name, usd ?? undefined);
  await stack.userKey(user.token, {
    provider: "openai_compatible",
    api_key: stack.byokKey,
    base_url: baseUrl,
    ...extra,
  });
  return user;
}

async function attemptsOf(requestId: string): Promise<Attempt[]> {
  await expect.poll(() => stack.usageEvent(requestId), { timeout: 5000 }).toBeDefined();
  return (await stack.usageEvent(requestId))!.attempts as Attempt[];
}

const outcomes = (attempts: Attempt[]) => attempts.map((attempt) => [attempt.route_mode, attempt.outcome]);
const headers = (requestId: string) => ({ headers: { "x-request-id": requestId } });

/** The three ways to reach the endpoints under test, each answering its route_mode. */
const endpoints = {
  async embeddings(token: string, feature: string, requestId: string) {
    const result = await stack
      .client(token)
      .embeddings.create(
        { model: "mock-embed", input: "one line", metadata: { feature_key: feature } } as never,
        headers(requestId),
      );
    expect(result.data).toHaveLength(1);
    return (result as unknown as Block).modelfaucet.route_mode;
  },
  async responses(token: string, feature: string, requestId: string) {
    const response = await stack
      .client(token)
      .responses.create(
        { model: "mock-small", input: "Say hello", max_output_tokens: 64, metadata: { feature_key: feature } },
        headers(requestId),
      );
    expect(response.output_text.length).toBeGreaterThan(0);
    return (response as unknown as Block).modelfaucet.route_mode;
  },
  async "streamed responses"(token: string, feature: string, requestId: string) {
    const stream = await stack.client(token).responses.create(
      {
        model: "mock-small",
        input: "Say hello",
        max_output_tokens: 64,
        stream: true,
        metadata: { feature_key: feature },
      },
      headers(requestId),
    );
    const types: string[] = [];
    let text = "";
    let routeMode: string | undefined;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === "response.output_text.delta") text += event.delta;
      if (event.type === "response.completed") routeMode = (event.response as unknown as Block).modelfaucet.route_mode;
    }
    expect(text.length).toBeGreaterThan(0);
    // One clean stream: the failed attempts left nothing in it.
    expect(types.filter((type) => type === "response.created")).toHaveLength(1);
    expect(types).not.toContain("error");
    return routeMode;
  },
};

describe.each(Object.entries(endpoints))("%s", (name, call) => {
  const id = (what: string) => `${name.replace(/ /g, "-")}-${what}`;

  it("retries a 503 on the same route, then answers, recording every attempt", async () => {
    const { token } = await userWithKey(id("503"), `${flaky.url}/v1`);
    flaky.failNext({ status: 503 });
    const before = flaky.requests;
    expect(await call(token, "strict", id("503"))).toBe("byok");
    expect(flaky.requests - before).toBe(2);
    const attempts = await attemptsOf(id("503"));
    expect(outcomes(attempts)).toEqual([
      ["byok", "http_5xx"],
      ["byok", "success"],
    ]);
    expect(attempts[0]).toMatchObject({ status: 503, retry_in_ms: expect.any(Number) });
    expect(JSON.stringify(attempts)).not.toContain(stack.byokKey);
    expect(JSON.stringify(attempts)).not.toContain("127.0.0.1");
    expect(await stack.wallet(token)).toMatchObject({ held_usd: "0.00000000" });
  });

  it("honours a 429's Retry-After before retrying", async () => {
    const { token } = await userWithKey(id("429"), `${flaky.url}/v1`);
    flaky.failNext({ status: 429, retryAfterSeconds: 1 });
    const started = Date.now();
    expect(await call(token, "strict", id("429"))).toBe("byok");
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    const attempts = await attemptsOf(id("429"));
    expect(attempts[0]).toMatchObject({ outcome: "http_429", status: 429, retry_in_ms: 1000 });
    expect(attempts[1]).toMatchObject({ outcome: "success" });
  });

  it("does not fall back from a dead key when neither the key nor the feature allows it", async () => {
    const { token } = await userWithKey(id("strict"), DEAD_URL);
    const failed = await call(token, "strict", id("strict")).catch((error: unknown) => error);
    expect(failed).toMatchObject({ status: 502, code: "provider_error" });
    expect(stack.platform.calls.count).toBe(0);
    expect(await stack.wallet(token)).toMatchObject({ balance_usd: "1.00000000", held_usd: "0.00000000" });
  });

  it("falls back to the platform when the key allows it", async () => {
    const { token } = await userWithKey(id("key-fallback"), DEAD_URL, { fallback_to_platform: true });
    expect(await call(token, "strict", id("key-fallback"))).toBe("platform");
    expect(stack.platform.calls.count).toBe(1);
    expect(outcomes(await attemptsOf(id("key-fallback")))).toEqual([
      ["byok", "connection"],
      ["byok", "connection"],
      ["byok", "connection"],
      ["platform", "success"],
    ]);
    expect(await stack.usageEvent(id("key-fallback"))).toMatchObject({ route_mode: "platform" });
  });

  it("falls back to the platform when the feature allows it", async () => {
    const { token } = await userWithKey(id("feature-fallback"), DEAD_URL);
    expect(await call(token, "lenient", id("feature-fallback"))).toBe("platform");
  });

  it("never falls back past the platform route's hold: an empty wallet keeps the provider error", async () => {
    // BYOK with a zero fee needs no balance; the platform route does.
    const { token } = await userWithKey(id("no-balance"), DEAD_URL, {}, null);
    const failed = await call(token, "lenient", id("no-balance")).catch((error: unknown) => error);
    expect(failed).toMatchObject({ status: 502, code: "provider_error" });
    expect(stack.platform.calls.count).toBe(0);
    expect(await stack.wallet(token)).toMatchObject({ balance_usd: "0.00000000", held_usd: "0.00000000" });
  });
});

describe("a streamed response", () => {
  it("is not retried once its first byte reached the client: a mid-stream failure is an error event", async () => {
    const { token } = await stack.user("stream-midway", "1.00");
    stack.platform.setBehavior({ failure: "mid_stream" });
    const response = await fetch(`${stack.gatewayUrl}/v1/responses`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "x-request-id": "midway-1" },
      body: JSON.stringify({
        model: "mock-small",
        input: "Tell me about seas.",
        stream: true,
        metadata: { feature_key: "strict" },
      }),
    });
    expect(await response.text()).toContain("event: error");
    expect(stack.platform.calls.count).toBe(1);
    expect(outcomes(await attemptsOf("midway-1"))).toEqual([["platform", "success"]]);
    expect(await stack.usageEvent("midway-1")).toMatchObject({ outcome: "upstream_failed" });
  });
});

describe("routes that cannot serve embeddings", () => {
  it("are skipped like routes without a credential, whatever their fallback flag", async () => {
    const { token } = await stack.user("embed-skip", "1.00");
    await stack.userKey(token, { provider: "anthropic", api_key: "sk-ant-test-0123456789abcdef" });
    await stack.developerKey({ apiKey: stack.byokKey });
    const result = await stack
      .client(token)
      .embeddings.create(
        { model: "claude-embed-test", input: "one line", metadata: { feature_key: "byok_then_developer" } } as never,
        headers("embed-skip-1"),
      );
    expect((result as unknown as Block).modelfaucet.route_mode).toBe("developer_key");
    expect(outcomes(await attemptsOf("embed-skip-1"))).toEqual([["developer_key", "success"]]);
  });

  it("leave 503 no_available_route when none is left", async () => {
    const { token } = await stack.user("embed-none", "1.00");
    await stack.userKey(token, { provider: "anthropic", api_key: "sk-ant-test-0123456789abcdef" });
    const failed = await stack
      .client(token)
      .embeddings.create({
        model: "claude-embed-test",
        input: "one line",
        metadata: { feature_key: "strict" },
      } as never)
      .catch((error: unknown) => error);
    expect(failed).toMatchObject({ status: 503, code: "no_available_route" });
    expect(await stack.wallet(token)).toMatchObject({ balance_usd: "1.00000000", held_usd: "0.00000000" });
  });
});

describe("afterwards", () => {
  it("the ledger reconciles to zero and no key was ever shown", async () => {
    expect((await reconcile(stack.database.db)).ok).toBe(true);
    expect([...stack.transcript, ...stack.logLines].join("\n")).not.toContain(stack.byokKey);
  });
});
