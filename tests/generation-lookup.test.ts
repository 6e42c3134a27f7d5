// GET /v1/generation/:request_id on the Gateway (issue 15, item 4; CONTRACT.md
// "Gateway"): OpenRouter's habit of looking an answer up by its id. The end
// user's session sees its own requests (tokens, price, route, model,
// attempts, latency; no split), the app's developer sees them with the price
// split — an `mf_dev_` token with developer:operations:read, or
// DEVELOPER_ADMIN_TOKEN. Another user's or another developer's request is
// 404, exactly as an unknown id.
import type OpenAI from "openai";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startFlakyUpstream, type FlakyUpstream } from "./helpers/flaky-upstream.js";
import { ADMIN_TOKEN, DEVELOPER_ADMIN_TOKEN, startRoutingStack, type RoutingStack } from "./helpers/routing-stack.js";

interface Generation {
  request_id: string;
  feature_key: string | null;
  route_mode: string;
  provider: string;
  model: string;
  stream: boolean;
  outcome: string;
  input_tokens: number;
  cached_tokens: number;
  output_tokens: number;
  total_tokens: number;
  price_usd: string;
  cost: number;
  split: { cost_usd: string; developer_usd: string; platform_usd: string } | null;
  attempts: Array<Record<string, unknown>>;
  latency_ms: number | null;
  redacted_items: number;
  created_at: string;
}

let stack: RoutingStack;
let flaky: FlakyUpstream;
let owner: { token: string; client: OpenAI };

beforeAll(async () => {
  stack = await startRoutingStack({ reliability: { retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 } } });
  // A user's own endpoint behind a proxy that fails exactly when told to.
  flaky = await startFlakyUpstream(stack.byok.url);
  await stack.feature("lookup", { route_preference: ["platform_pool"] });
  await stack.feature("lookup_byok", { route_preference: ["end_user_byok"] }, { byok_gateway_fee_usd: "0.00050000" });
  const user = await stack.user("generation-owner", "5.00");
  owner = { token: user.token, client: stack.client(user.token) };
});
afterAll(async () => {
  await flaky.close();
  await stack.close();
});
afterEach(async () => {
  stack.platform.setBehavior({ failure: "none", latencyMs: 0 });
  const response = await fetch(`${stack.apiUrl}/v1/admin/reconciliation/ledger`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  expect(((await response.json()) as { ok: boolean }).ok).toBe(true);
});

const messages = [{ role: "user" as const, content: "Write one line about rivers." }];
const feature = { metadata: { feature_key: "lookup" } };
const units = (usd: string) => BigInt(usd.replace(".", ""));

function lookUp(requestId: string, token: string | undefined) {
  return fetch(`${stack.gatewayUrl}/v1/generation/${encodeURIComponent(requestId)}`, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
}

async function generation(requestId: string, token: string): Promise<Generation> {
  const response = await lookUp(requestId, token);
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as Generation;
}

/** A chat completion through the openai client: its raw JSON and how long the client waited, ms. */
async function completion(client: OpenAI, extra: Record<string, unknown> = {}) {
  const started = performance.now();
  const raw = await client.chat.completions
    .create({ model: "mock-small", messages, ...feature, ...extra })
    .asResponse();
  const answer = (await raw.json()) as {
    usage: { prompt_tokens: number; completion_tokens: number; cost: number };
    modelfaucet: { request_id: string; price_usd: string; route_mode: string; model: string; provider: string };
  };
  return { answer, waitedMs: performance.now() - started, requestId: raw.headers.get("x-request-id")! };
}

async function developerToken(developerId: string, scopes: string[]): Promise<string> {
  const response = await stack.fetchApi("/v1/developer/tokens", {
    method: "POST",
    token: DEVELOPER_ADMIN_TOKEN,
    body: { developer_id: developerId, name: `lookup ${scopes.join(" ")}`, scopes },
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { token: string }).token;
}

describe("the session that made a request", () => {
  it("looks it up: tokens, price, route, model, attempts and latency, as the answer reported them", async () => {
    stack.platform.setBehavior({ latencyMs: 120 });
    const { answer, waitedMs, requestId } = await completion(owner.client);
    expect(answer.modelfaucet.request_id).toBe(requestId);

    const found = await generation(requestId, owner.token);
    expect(found).toMatchObject({
      request_id: requestId,
      feature_key: "lookup",
      route_mode: "platform",
      provider: answer.modelfaucet.provider,
      model: answer.modelfaucet.model,
      stream: false,
      outcome: "completed",
      input_tokens: answer.usage.prompt_tokens,
      output_tokens: answer.usage.completion_tokens,
      total_tokens: answer.usage.prompt_tokens + answer.usage.completion_tokens,
      price_usd: answer.modelfaucet.price_usd,
      cost: answer.usage.cost,
      split: null,
      redacted_items: 0,
    });
    expect(found.attempts).toEqual([
      expect.objectContaining({ route_mode: "platform", outcome: "success", duration_ms: expect.any(Number) }),
    ]);
    // From the request's arrival to its settlement: the upstream's 120 ms at least, never more than the client waited.
    expect(found.latency_ms).toBeGreaterThanOrEqual(120);
    expect(found.latency_ms).toBeLessThanOrEqual(Math.ceil(waitedMs));
  });

  it("looks a stream up once it ended, its latency running to the end of the stream", async () => {
    stack.platform.setBehavior({ chunkDelayMs: 30, chunkCount: 6 });
    const { data: stream, response } = await owner.client.chat.completions
      .create({ model: "mock-small", messages, stream: true, ...feature })
      .withResponse();
    let chunks = 0;
    for await (const _chunk of stream) chunks += 1;
    expect(chunks).toBeGreaterThan(1);
    const found = await generation(response.headers.get("x-request-id")!, owner.token);
    expect(found).toMatchObject({ stream: true, outcome: "completed", route_mode: "platform" });
    expect(found.output_tokens).toBeGreaterThan(0);
    expect(found.latency_ms).toBeGreaterThanOrEqual(5 * 30);
    stack.platform.setBehavior({ chunkDelayMs: 0, chunkCount: 8 });
  });

  it("sees every attempt of a request that was retried, and no stored key's id", async () => {
    const user = await stack.user("generation-byok", "1.00");
    await stack.userKey(user.token, {
      provider: "openai_compatible",
      api_key: stack.byokKey,
      base_url: `${flaky.url}/v1`,
    });
    flaky.failNext({ status: 503 });
    const byok = { metadata: { feature_key: "lookup_byok" } };
    const { answer, requestId } = await completion(stack.client(user.token), byok);
    expect(answer.modelfaucet.route_mode).toBe("byok");
    const found = await generation(requestId, user.token);
    expect(found.attempts.map(({ route_mode, outcome, status }) => ({ route_mode, outcome, status }))).toEqual([
      { route_mode: "byok", outcome: "http_5xx", status: 503 },
      { route_mode: "byok", outcome: "success", status: undefined },
    ]);
    expect(found.attempts.every((attempt) => !("credential_id" in attempt))).toBe(true);
    expect(found.cost).toBe(0.0005);
    const asDeveloper = await generation(requestId, DEVELOPER_ADMIN_TOKEN);
    expect(asDeveloper.attempts.every((attempt) => typeof attempt.credential_id === "string")).toBe(true);
  });

  it("is the end user's, so a renewed session of the same user sees it too", async () => {
    const { requestId } = await completion(owner.client);
    const renewed = await stack.user("generation-owner");
    expect(renewed.token).not.toBe(owner.token);
    expect((await generation(requestId, renewed.token)).request_id).toBe(requestId);
  });
});

describe("who else may look a request up", () => {
  it("its developer, with the price split that adds up to the price", async () => {
    const { answer, requestId } = await completion(owner.client);
    const token = await developerToken("dev_demo", ["developer:operations:read"]);
    for (const caller of [token, DEVELOPER_ADMIN_TOKEN]) {
      const found = await generation(requestId, caller);
      expect(found.price_usd).toBe(answer.modelfaucet.price_usd);
      const split = found.split!;
      expect(units(split.cost_usd) + units(split.developer_usd) + units(split.platform_usd)).toBe(
        units(found.price_usd),
      );
      expect(units(split.developer_usd)).toBeGreaterThan(0n);
      expect(found.attempts[0]).toMatchObject({ route_mode: "platform" });
    }
  });

  it("nobody else: another user, another developer, a token without the scope, no token", async () => {
    const { requestId } = await completion(owner.client);
    const stranger = await stack.user("generation-stranger", "1.00");
    const notFound = await lookUp(requestId, stranger.token);
    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toMatchObject({ error: { code: "not_found" } });

    const created = await fetch(`${stack.apiUrl}/v1/admin/developers`, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "Other developer", email: "other-lookup@example.com" }),
    });
    const otherDeveloper = ((await created.json()) as { id: string }).id;
    const otherToken = await developerToken(otherDeveloper, ["developer:operations:read"]);
    expect((await lookUp(requestId, otherToken)).status).toBe(404);

    const unscoped = await developerToken("dev_demo", ["developer:apps:read"]);
    expect((await lookUp(requestId, unscoped)).status).toBe(403);
    expect((await lookUp(requestId, undefined)).status).toBe(401);
    expect((await lookUp(requestId, "mf_sess_not-a-session")).status).toBe(401);
    expect((await lookUp(requestId, "mf_dev_not-a-token")).status).toBe(401);
  });

  it("takes any request id a caller may send (128 printable characters), 404 when unknown, 400 beyond", async () => {
    const chosen = `my/app req:${"x".repeat(128 - 11)}`;
    const raw = await owner.client.chat.completions
      .create({ model: "mock-small", messages, ...feature }, { headers: { "x-request-id": chosen } })
      .asResponse();
    expect(raw.headers.get("x-request-id")).toBe(chosen);
    expect((await generation(chosen, owner.token)).request_id).toBe(chosen);

    expect((await lookUp("req_never_made", owner.token)).status).toBe(404);
    expect((await lookUp("req_never_made", DEVELOPER_ADMIN_TOKEN)).status).toBe(404);
    expect((await lookUp("x".repeat(129), owner.token)).status).toBe(400);
  });
});
