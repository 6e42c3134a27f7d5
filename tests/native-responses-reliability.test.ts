import type { ServerResponse } from "node:http";
import { reconcile } from "@modelfaucet/ledger";
import { startScriptedUpstream, type ScriptedUpstream } from "@modelfaucet/providers/testing";
import type OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRoutingStack, type RoutingStack } from "./helpers/routing-stack.js";

// `/v1/responses` passed through natively (a stored `openai` key) runs on the
// same reliability as chat: a 5xx or a 429 (Retry-After honoured) is retried
// before anything reaches the client, and every attempt is on the usage event.

const KEY = "sk-native-responses-0123456789abcdef";
const usage = { input_tokens: 9, input_tokens_details: { cached_tokens: 0 }, output_tokens: 4, total_tokens: 13 };

let stack: RoutingStack;
let upstream: ScriptedUpstream;
/** What the upstream answers next, one entry per request; then a good answer. */
const script: Array<{ status: number; retryAfterSeconds?: number }> = [];

function answer(body: unknown, res: ServerResponse) {
  const failure = script.shift();
  if (failure) {
    res.writeHead(failure.status, {
      "content-type": "application/json",
      ...(failure.retryAfterSeconds === undefined ? {} : { "retry-after": String(failure.retryAfterSeconds) }),
    });
    res.end(JSON.stringify({ error: { message: "scripted failure", type: "server_error", code: null } }));
    return;
  }
  const response = {
    id: "resp_native_1",
    object: "response",
    status: "completed",
    output: [{ type: "message", role: "assistant", content: [{ type: "output_text", text: "Hi there" }] }],
    output_text: "Hi there",
    usage,
  };
  if ((body as { stream?: boolean }).stream !== true) {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(response));
    return;
  }
  const events = [
    { type: "response.created", sequence_number: 0, response: { ...response, status: "in_progress", usage: null } },
    { type: "response.output_text.delta", sequence_number: 1, delta: "Hi " },
    { type: "response.output_text.delta", sequence_number: 2, delta: "there" },
    { type: "response.completed", sequence_number: 3, response },
  ];
  res.writeHead(200, { "content-type": "text/event-stream" });
  res.end(events.map((event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`).join(""));
}

let client: OpenAI;
beforeAll(async () => {
  stack = await startRoutingStack({
    reliability: { retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterSeconds: 5 } },
  });
  upstream = await startScriptedUpstream((request, res) => answer(request.body, res));
  await stack.feature("native", { route_preference: ["end_user_byok"] });
  const user = await stack.user("native-responses", "1.00");
  await stack.userKey(user.token, { provider: "openai", api_key: KEY, base_url: upstream.baseUrl });
  client = stack.client(user.token);
});
afterAll(async () => {
  await upstream.close();
  await stack.close();
});

const request = { model: "gpt-4o-mini", input: "hello", metadata: { feature_key: "native" } };

async function attemptsOf(requestId: string) {
  const event = await stack.usageEvent(requestId);
  return (event!.attempts as Array<Record<string, unknown>>).map(({ outcome, route_mode }) => ({
    outcome,
    route_mode,
  }));
}

describe("native /v1/responses over a stored openai key", () => {
  it("retries a 503, answers, and records both attempts", async () => {
    script.push({ status: 503 });
    const { data, response } = await client.responses.create(request).withResponse();
    expect(data.output_text).toBe("Hi there");
    expect(await attemptsOf(response.headers.get("x-request-id")!)).toEqual([
      { outcome: "http_5xx", route_mode: "byok" },
      { outcome: "success", route_mode: "byok" },
    ]);
  });

  it("waits a 429's Retry-After, then answers", async () => {
    script.push({ status: 429, retryAfterSeconds: 1 });
    const started = Date.now();
    const data = await client.responses.create(request);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(data.output_text).toBe("Hi there");
  });

  it("retries a streamed request before its first byte: the client gets one clean stream", async () => {
    script.push({ status: 502 });
    const stream = await client.responses.create({ ...request, stream: true });
    let text = "";
    const types: string[] = [];
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === "response.output_text.delta") text += event.delta;
    }
    expect(text).toBe("Hi there");
    expect(types.filter((type) => type === "response.created")).toHaveLength(1);
    expect(types).not.toContain("error");
  });

  it("never shows the key and leaves the ledger reconciled", async () => {
    expect((await reconcile(stack.database.db)).ok).toBe(true);
    expect(stack.logLines.join("\n")).not.toContain(KEY);
    expect(upstream.requests.every((seen) => seen.headers.authorization === `Bearer ${KEY}`)).toBe(true);
    // Passed through natively: the upstream saw Responses bodies, never a translation to chat.
    expect(upstream.requests.every((seen) => "input" in (seen.body as object))).toBe(true);
    expect(upstream.requests.some((seen) => "messages" in (seen.body as object))).toBe(false);
  });
});
