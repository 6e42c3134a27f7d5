// Every Gateway answer's `usage` carries `cost` (issue 15, item 4; CONTRACT.md
// "Gateway"): the USD the end user paid as a JSON number, the way OpenRouter
// gives it, equal to `modelfaucet.price_usd` — on chat, embeddings and
// Responses (translated and native), streamed or not; in a stream, on the
// chunk or terminal event that carries the settled usage. Called with the
// official `openai` client, whose types do not know `cost`: the fields are
// read from the raw JSON it received.
import type { ServerResponse } from "node:http";
import { startScriptedUpstream, type ScriptedUpstream } from "@modelfaucet/providers/testing";
import type OpenAI from "openai";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startRoutingStack, type RoutingStack } from "./helpers/routing-stack.js";

interface Priced {
  usage?: { cost?: unknown } | null;
  modelfaucet?: { price_usd: string };
}

const NATIVE_KEY = "sk-native-cost-0123456789abcdef";
const nativeUsage = { input_tokens: 9, input_tokens_details: { cached_tokens: 0 }, output_tokens: 4, total_tokens: 13 };

let stack: RoutingStack;
let native: ScriptedUpstream;
let client: OpenAI;
let nativeClient: OpenAI;

/** A Responses API upstream (OpenAI's shape), streamed or not, with its own usage. */
function answerNative(body: unknown, res: ServerResponse) {
  const response = {
    id: "resp_cost_1",
    object: "response",
    created_at: 1,
    model: "gpt-4o-mini",
    status: "completed",
    output: [{ type: "message", role: "assistant", content: [{ type: "output_text", text: "Hi there" }] }],
    output_text: "Hi there",
    usage: nativeUsage,
  };
  if ((body as { stream?: boolean }).stream !== true) {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(response));
    return;
  }
  const events = [
    { type: "response.created", sequence_number: 0, response: { ...response, status: "in_progress", usage: null } },
    { type: "response.output_text.delta", sequence_number: 1, delta: "Hi there" },
    { type: "response.completed", sequence_number: 2, response },
  ];
  res.writeHead(200, { "content-type": "text/event-stream" });
  res.end(events.map((event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`).join(""));
}

beforeAll(async () => {
  stack = await startRoutingStack();
  native = await startScriptedUpstream((request, res) => answerNative(request.body, res));
  await stack.feature("priced", { route_preference: ["platform_pool"] });
  // BYOK pays no upstream cost to the platform: the answer costs the user exactly the gateway fee.
  await stack.feature("native_fee", { route_preference: ["end_user_byok"] }, { byok_gateway_fee_usd: "0.00123400" });
  const user = await stack.user("cost-reader", "5.00");
  client = stack.client(user.token);
  const byokUser = await stack.user("cost-native", "5.00");
  await stack.userKey(byokUser.token, { provider: "openai", api_key: NATIVE_KEY, base_url: native.baseUrl });
  nativeClient = stack.client(byokUser.token);
});
afterAll(async () => {
  await native.close();
  await stack.close();
});
afterEach(async () => {
  expect(await stack.reconciled()).toBe(true);
});

const messages = [{ role: "user" as const, content: "Write one line about rivers." }];
const priced = { metadata: { feature_key: "priced" } };
const viaNative = { metadata: { feature_key: "native_fee" } };

/** `usage.cost` must be a JSON number equal to the exact price, and (here, on a paid route) above zero. */
function expectCostIsPrice(answer: Priced, usage: Priced["usage"] = answer.usage) {
  const price = answer.modelfaucet?.price_usd;
  expect(price).toMatch(/^\d+\.\d{8}$/);
  expect(typeof usage?.cost).toBe("number");
  expect(usage!.cost).toBe(Number(price));
  expect(usage!.cost).toBeGreaterThan(0);
}

const rawJson = async (response: Response) => (await response.json()) as Priced;

describe("usage.cost on answers", () => {
  it("is on a chat completion", async () => {
    const raw = await client.chat.completions.create({ model: "mock-small", messages, ...priced }).asResponse();
    const answer = await rawJson(raw);
    expectCostIsPrice(answer);
    expect(answer.usage).toMatchObject({ prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number) });
  });

  it("is on embeddings", async () => {
    const raw = await client.embeddings
      .create({ model: "mock-embed", input: ["rivers", "lakes"], ...priced })
      .asResponse();
    const answer = await rawJson(raw);
    expectCostIsPrice(answer);
    expect(answer.usage).toMatchObject({ prompt_tokens: expect.any(Number), total_tokens: expect.any(Number) });
  });

  it("is on a Responses answer translated over chat", async () => {
    const raw = await client.responses.create({ model: "mock-small", input: "rivers", ...priced }).asResponse();
    expectCostIsPrice(await rawJson(raw));
  });

  it("is on a native Responses answer, added to the upstream's own usage (a BYOK fee)", async () => {
    const raw = await nativeClient.responses
      .create({ model: "gpt-4o-mini", input: "hello", ...viaNative })
      .asResponse();
    const answer = await rawJson(raw);
    expectCostIsPrice(answer);
    expect(answer.usage!.cost).toBe(0.001234);
    expect(answer.usage).toMatchObject(nativeUsage);
  });
});

describe("usage.cost in streams", () => {
  it("is on the usage chunk of a chat stream with include_usage, and on no other chunk", async () => {
    const stream = await client.chat.completions.create({
      model: "mock-small",
      messages,
      stream: true,
      stream_options: { include_usage: true },
      ...priced,
    });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const last = chunks.at(-1) as unknown as Priced & { choices: unknown[] };
    expect(last.choices).toEqual([]);
    expectCostIsPrice(last);
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage == null)).toBe(true);
  });

  it("is on the terminal event of a translated Responses stream", async () => {
    const stream = await client.responses.create({ model: "mock-small", input: "rivers", stream: true, ...priced });
    let completed: Priced | undefined;
    for await (const event of stream) if (event.type === "response.completed") completed = event.response as Priced;
    expectCostIsPrice(completed!);
  });

  it("is on the terminal event of a native Responses stream", async () => {
    const stream = await nativeClient.responses.create({
      model: "gpt-4o-mini",
      input: "hello",
      stream: true,
      ...viaNative,
    });
    const events: Array<{ type: string; response?: Priced }> = [];
    for await (const event of stream) events.push(event as never);
    const completed = events.find((event) => event.type === "response.completed")!.response!;
    expectCostIsPrice(completed);
    expect(completed.usage!.cost).toBe(0.001234);
    expect(events.find((event) => event.type === "response.created")!.response!.usage).toBeNull();
  });
});
