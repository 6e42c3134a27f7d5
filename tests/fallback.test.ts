import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startRoutingStack, type RoutingStack } from "./helpers/routing-stack.js";

const messages = [{ role: "user" as const, content: "One line on lighthouses." }];
type Block = { route_mode: string; price_usd: string; request_id: string };
const blockOf = (completion: unknown) => (completion as { modelfaucet: Block }).modelfaucet;
// Nothing listens on port 1 of loopback: a connection-refused upstream, allowed by the URL guard.
const DEAD_URL = "http://127.0.0.1:1/v1";

async function chat(stack: RoutingStack, token: string, body: Record<string, unknown>, requestId?: string) {
  const response = await fetch(`${stack.gatewayUrl}/v1/chat/completions`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
      ...(requestId ? { "x-request-id": requestId } : {}),
    },
    body: JSON.stringify({ messages, ...body }),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as { error: { code: string } } & Record<string, unknown>,
  };
}

describe("retries and fallback", () => {
  let stack: RoutingStack;
  beforeAll(async () => {
    stack = await startRoutingStack({
      reliability: {
        retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterSeconds: 5 },
        circuitBreaker: { failureThreshold: 50 },
      },
    });
    await stack.feature("strict", {
      route_preference: ["end_user_byok", "platform_pool"],
      fallback_to_platform: false,
    });
    await stack.feature("lenient", {
      route_preference: ["end_user_byok", "platform_pool"],
      fallback_to_platform: true,
    });
    await stack.feature("platform", { route_preference: ["platform_pool"] });
    await stack.feature("guarded", {
      route_preference: ["developer_key", "platform_pool"],
      fallback_to_platform: true,
    });
  });
  afterAll(async () => {
    await stack.close();
  });
  beforeEach(() => {
    stack.platform.setBehavior({ failure: "none", retryAfterSeconds: 1 });
    stack.platform.resetCalls();
  });

  it("does not fall back from a dead primary when neither the key nor the feature allows it", async () => {
    const { token } = await stack.user("fb-1", "1.00");
    await stack.userKey(token, { provider: "openai_compatible", api_key: stack.byokKey, base_url: DEAD_URL });
    const answer = await chat(stack, token, { model: "auto:strict" });
    expect(answer.status).toBe(502);
    expect(answer.body.error.code).toBe("provider_error");
    expect(stack.platform.calls.count).toBe(0);
    expect(await stack.wallet(token)).toMatchObject({ balance_usd: "1.00000000", held_usd: "0.00000000" });
  });

  it("falls back to the platform when the key allows it, recording every attempt", async () => {
    const { token } = await stack.user("fb-2", "1.00");
    await stack.userKey(token, {
      provider: "openai_compatible",
      api_key: stack.byokKey,
      base_url: DEAD_URL,
      fallback_to_platform: true,
    });
    const answer = await chat(stack, token, { model: "auto:strict" }, "fallback-key-1");
    expect(answer.status).toBe(200);
    expect(blockOf(answer.body).route_mode).toBe("platform");
    expect(stack.platform.calls.count).toBe(1);
    const event = await stack.usageEvent("fallback-key-1");
    const attempts = event!.attempts as Array<Record<string, unknown>>;
    // Connection refused is retried (3 attempts), then the platform answers.
    expect(attempts.map((attempt) => [attempt.route_mode, attempt.outcome])).toEqual([
      ["byok", "connection"],
      ["byok", "connection"],
      ["byok", "connection"],
      ["platform", "success"],
    ]);
    expect(JSON.stringify(attempts)).not.toContain(stack.byokKey);
    expect(JSON.stringify(attempts)).not.toContain("127.0.0.1");
    expect(event).toMatchObject({ route_mode: "platform" });
    expect(BigInt(String(event!.cost_units))).toBeGreaterThan(0n);
    expect((await stack.wallet(token)).held_usd).toBe("0.00000000");
  });

  it("falls back when the feature allows it, even if the key does not", async () => {
    const { token } = await stack.user("fb-3", "1.00");
    await stack.userKey(token, { provider: "openai_compatible", api_key: stack.byokKey, base_url: DEAD_URL });
    const answer = await chat(stack, token, { model: "auto:lenient" });
    expect(answer.status).toBe(200);
    expect(blockOf(answer.body).route_mode).toBe("platform");
  });

  it("never falls back past the balance check: the platform route must still be paid for", async () => {
    const { token } = await stack.user("fb-4"); // empty wallet: BYOK (zero fee) needs nothing, the platform does
    await stack.userKey(token, { provider: "openai_compatible", api_key: stack.byokKey, base_url: DEAD_URL });
    const answer = await chat(stack, token, { model: "auto:lenient" });
    expect(answer.status).toBe(502);
    expect(answer.body.error.code).toBe("provider_error");
    expect(stack.platform.calls.count).toBe(0);
  });

  it("never falls back past the URL guard: a refused base URL is neither retried nor replaced", async () => {
    // Stored straight into the table (the API refuses it on store): the connect-time guard must hold on its own.
    await stack.developerKey({ apiKey: stack.byokKey, baseUrl: "http://192.168.1.1:9/v1", fallbackToPlatform: true });
    const { token } = await stack.user("fb-5", "1.00");
    const answer = await chat(stack, token, { model: "auto:guarded" }, "guarded-1");
    expect(answer.status).toBe(502);
    expect(answer.body.error.code).toBe("provider_error");
    expect(JSON.stringify(answer.body)).not.toContain("192.168");
    expect(stack.platform.calls.count).toBe(0);
    const metrics = await (await fetch(`${stack.gatewayUrl}/metrics`)).text();
    expect(metrics).toMatch(
      /modelfaucet_upstream_attempts_total\{[^}]*route_mode="developer_key"[^}]*outcome="url_blocked"[^}]*\} 1/,
    );
    expect(await stack.wallet(token)).toMatchObject({ balance_usd: "1.00000000", held_usd: "0.00000000" });
  });

  it("retries a 429 after the upstream's Retry-After, then succeeds", async () => {
    const { token } = await stack.user("rl-1", "1.00");
    stack.platform.setBehavior({ failure: "http_429", retryAfterSeconds: 1 });
    setTimeout(() => stack.platform.setBehavior({ failure: "none" }), 300);
    const started = Date.now();
    const answer = await chat(stack, token, { model: "auto:platform" }, "retry-after-1");
    expect(answer.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(stack.platform.calls.count).toBe(2);
    const attempts = (await stack.usageEvent("retry-after-1"))!.attempts as Array<Record<string, unknown>>;
    expect(attempts[0]).toMatchObject({ outcome: "http_429", status: 429, retry_in_ms: 1000 });
    expect(attempts[1]).toMatchObject({ outcome: "success" });
  });

  it("does not wait longer than its cap: a long Retry-After ends the retries and is passed on", async () => {
    const { token } = await stack.user("rl-2", "1.00");
    stack.platform.setBehavior({ failure: "http_429", retryAfterSeconds: 60 });
    const answer = await chat(stack, token, { model: "auto:platform" });
    expect(answer.status).toBe(502);
    expect(answer.headers.get("retry-after")).toBe("60");
    expect(stack.platform.calls.count).toBe(1);
  });

  it("retries 5xx up to the configured attempts, then releases the hold", async () => {
    const { token } = await stack.user("rl-3", "1.00");
    stack.platform.setBehavior({ failure: "http_500" });
    const answer = await chat(stack, token, { model: "auto:platform" });
    expect(answer.status).toBe(502);
    expect(stack.platform.calls.count).toBe(3);
    expect(await stack.wallet(token)).toMatchObject({ balance_usd: "1.00000000", held_usd: "0.00000000" });
  });

  it("retries a stream before its first byte: the client gets one clean stream", async () => {
    const { token } = await stack.user("rl-4", "1.00");
    stack.platform.setBehavior({ failure: "http_429", retryAfterSeconds: 1 });
    setTimeout(() => stack.platform.setBehavior({ failure: "none" }), 300);
    const stream = await stack
      .client(token)
      .chat.completions.create({ model: "auto:platform", messages, stream: true });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text.length).toBeGreaterThan(0);
    expect(stack.platform.calls.count).toBe(2);
  });
});

describe("the circuit breaker", () => {
  let stack: RoutingStack;
  beforeAll(async () => {
    stack = await startRoutingStack({
      reliability: { retry: { maxAttempts: 1 }, circuitBreaker: { failureThreshold: 3, cooldownMs: 1500 } },
    });
  });
  afterAll(async () => {
    await stack.close();
  });

  async function platformHealth() {
    const response = await fetch(`${stack.gatewayUrl}/health/providers`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { providers: Array<Record<string, unknown>> };
    return body.providers.find((entry) => entry.provider === "mock")!;
  }

  it("opens after repeated failures, shows in /health/providers and metrics, and closes after a good probe", async () => {
    const { token } = await stack.user("cb-1", "1.00");
    expect(await platformHealth()).toMatchObject({ state: "closed", consecutive_failures: 0 });
    stack.platform.setBehavior({ failure: "http_500" });
    for (let i = 0; i < 3; i += 1) expect((await chat(stack, token, { model: "mock-small" })).status).toBe(502);
    expect(stack.platform.calls.count).toBe(3);

    // Open: refused without calling upstream, with a Retry-After.
    const refused = await chat(stack, token, { model: "mock-small" });
    expect(refused.status).toBe(502);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(stack.platform.calls.count).toBe(3);
    const open = await platformHealth();
    expect(open).toMatchObject({ route_mode: "platform", state: "open", consecutive_failures: 3 });
    expect(open.cooldown_remaining_ms).toBeGreaterThan(0);
    expect(JSON.stringify(open)).not.toMatch(/http|127\.0\.0\.1/);

    const metrics = await (await fetch(`${stack.gatewayUrl}/metrics`)).text();
    expect(metrics).toMatch(/modelfaucet_provider_circuit_state\{[^}]*provider="mock"[^}]*state="open"[^}]*\} 1/);
    expect(metrics).toMatch(
      /modelfaucet_upstream_attempts_total\{[^}]*provider="mock"[^}]*outcome="http_5xx"[^}]*\} 3/,
    );
    expect(metrics).toMatch(
      /modelfaucet_upstream_attempts_total\{[^}]*provider="mock"[^}]*outcome="circuit_open"[^}]*\} 1/,
    );

    // After the cooldown one probe goes through; its success closes the breaker.
    stack.platform.setBehavior({ failure: "none" });
    await new Promise((resolve) => setTimeout(resolve, 1600));
    expect((await platformHealth()).state).toBe("half_open");
    expect((await chat(stack, token, { model: "mock-small" })).status).toBe(200);
    expect(await platformHealth()).toMatchObject({
      state: "closed",
      consecutive_failures: 0,
      cooldown_remaining_ms: 0,
    });
    expect(await stack.wallet(token)).toMatchObject({ held_usd: "0.00000000" });
  });
});
