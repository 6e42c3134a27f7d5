import { randomBytes } from "node:crypto";
import { reconcile } from "@modelfaucet/ledger";
import {
  anthropicFixture,
  anthropicJsonFixture,
  geminiFixture,
  sendEvents,
  sendJson,
  startFakeAnthropic,
  startFakeGemini,
  type FakeAnthropic,
  type FakeGemini,
} from "@modelfaucet/providers/testing";
import type OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEVELOPER_ADMIN_TOKEN, startRoutingStack, type RoutingStack } from "./helpers/routing-stack.js";

// The official openai client drives chat through the Gateway to the
// Anthropic- and Gemini-format fakes, reached over keys stored through the
// API: a developer key and a user's BYOK key, each for both providers.

const ANTHROPIC_KEY = `sk-ant-${randomBytes(16).toString("hex")}`;
const GEMINI_KEY = `AIza${randomBytes(16).toString("hex")}`;
const BYOK_FEE = "0.01000000";

let stack: RoutingStack;
let anthropic: FakeAnthropic;
let gemini: FakeGemini;
let token: string;
/** What the Gemini fake answers next: plain text or a function call. */
let geminiAnswer: "text" | "tool" = "text";

const MODELS = { anthropic: "claude-3-5-haiku-20241022", google: "gemini-2.0-flash" } as const;
type Provider = keyof typeof MODELS;
type Route = "developer_key" | "byok";

const TOOLS: OpenAI.Chat.Completions.ChatCompletionTool[] = [
  {
    type: "function",
    function: {
      name: "get_weather",
      parameters: { type: "object", properties: { location: { type: "string" } }, required: ["location"] },
    },
  },
];

const EXPECTED = {
  anthropic: {
    text: "Hi! My name is Claude.",
    streamedText: "Hello!",
    toolText: "Okay, let's check the weather for San Francisco, CA:",
    tools: [{ name: "get_weather", arguments: { location: "San Francisco, CA", unit: "fahrenheit" } }],
  },
  google: {
    text: "AI systems learn patterns from examples, then use those patterns to make predictions about new data.",
    streamedText: "The quick brown fox jumps over the lazy dog, café ☕.",
    toolText: "",
    tools: [
      { name: "get_weather", arguments: { location: "Oslo", unit: "celsius" } },
      { name: "get_time", arguments: { timezone: "Europe/Oslo" } },
    ],
  },
} as const;

beforeAll(async () => {
  stack = await startRoutingStack();
  anthropic = await startFakeAnthropic(ANTHROPIC_KEY);
  gemini = await startFakeGemini((request, res) => {
    if (request.headers["x-goog-api-key"] !== GEMINI_KEY) {
      sendJson(res, 400, geminiFixture("error-400-api-key-invalid.json"));
    } else if (request.url.includes(":streamGenerateContent")) {
      sendEvents(
        res,
        geminiFixture(geminiAnswer === "text" ? "stream-text.chunks.txt" : "stream-function-call.chunks.txt"),
      );
    } else {
      sendJson(
        res,
        200,
        geminiFixture(geminiAnswer === "text" ? "generate-content-text.json" : "generate-content-function-call.json"),
      );
    }
  });
  const policy = (route: Route) => ({ route_preference: [route === "byok" ? "end_user_byok" : "developer_key"] });
  await stack.feature("via_developer_key", policy("developer_key"));
  await stack.feature("via_byok", policy("byok"), { byok_gateway_fee_usd: BYOK_FEE });
  ({ token } = await stack.user("stored-key-user", "20.00"));
  for (const [provider, apiKey, baseUrl] of [
    ["anthropic", ANTHROPIC_KEY, anthropic.baseUrl],
    ["google", GEMINI_KEY, gemini.baseUrl],
  ] as const) {
    await stack.userKey(token, { provider, api_key: apiKey, base_url: baseUrl });
    const stored = await stack.fetchApi("/v1/developer/provider-keys", {
      method: "POST",
      token: DEVELOPER_ADMIN_TOKEN,
      body: { developer_id: "dev_demo", provider, api_key: apiKey, base_url: baseUrl, budget_limit_usd: "5.00" },
    });
    expect(stored.status).toBe(201);
  }
});
afterAll(async () => {
  await stack.close();
  await Promise.all([anthropic.close(), gemini.close()]);
});

function setAnswer(provider: Provider, kind: "text" | "tool", stream: boolean) {
  if (provider === "google") {
    geminiAnswer = kind;
    return;
  }
  const name = kind === "text" ? "messages-text" : "messages-tool-use";
  anthropic.reply({ body: stream ? anthropicFixture(`${name}.chunks.txt`) : anthropicJsonFixture(`${name}.json`) });
}

const featureOf = (route: Route) => (route === "byok" ? "via_byok" : "via_developer_key");

function request(provider: Provider, route: Route, withTools: boolean) {
  return {
    model: MODELS[provider],
    max_tokens: 256,
    messages: [{ role: "user" as const, content: "What is the weather in San Francisco?" }],
    ...(withTools ? { tools: TOOLS } : {}),
    metadata: { feature_key: featureOf(route) },
  };
}

interface Block {
  request_id: string;
  route_mode: string;
  provider: string;
  price_usd: string;
}

/** The usage event of a request, with the money it moved. */
async function usageOf(requestId: string) {
  await expect.poll(() => stack.usageEvent(requestId), { timeout: 5000 }).toBeDefined();
  const event = (await stack.usageEvent(requestId))!;
  return {
    route_mode: event.route_mode,
    provider: event.provider,
    input_tokens: Number(event.input_tokens),
    output_tokens: Number(event.output_tokens),
    cost_units: String(event.cost_units),
    retail_units: String(event.retail_units),
  };
}

async function expectBilled(requestId: string, provider: Provider, route: Route) {
  const usage = await usageOf(requestId);
  expect(usage).toMatchObject({ route_mode: route, provider });
  expect(usage.output_tokens).toBeGreaterThan(0);
  if (route === "byok") {
    // Zero upstream cost; only the visible fee.
    expect(usage).toMatchObject({ cost_units: "0", retail_units: "1000000" });
  } else {
    // Priced at the catalog rate (the fixtures' usage may overrun the hold: the charge is then capped at it).
    expect(BigInt(usage.cost_units)).toBeGreaterThan(0n);
    expect(BigInt(usage.retail_units)).toBeGreaterThan(0n);
  }
}

const cases = (["anthropic", "google"] as const).flatMap((provider) =>
  (["developer_key", "byok"] as const).map((route) => ({ provider, route })),
);

describe.each(cases)("$provider over a stored $route key", ({ provider, route }) => {
  it("answers a non-streaming chat and bills it", async () => {
    setAnswer(provider, "text", false);
    const answer = await stack.client(token).chat.completions.create(request(provider, route, false));
    expect(answer.choices[0]!.message.content).toBe(EXPECTED[provider].text);
    const block = (answer as unknown as { modelfaucet: Block }).modelfaucet;
    expect(block).toMatchObject({ route_mode: route, provider });
    if (route === "byok") expect(block.price_usd).toBe(BYOK_FEE);
    await expectBilled(block.request_id, provider, route);
  });

  it("streams text intact, with the final usage chunk", async () => {
    setAnswer(provider, "text", true);
    const stream = await stack.client(token).chat.completions.create({
      ...request(provider, route, false),
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let last: OpenAI.Chat.Completions.ChatCompletionChunk | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      last = chunk;
    }
    expect(text).toBe(EXPECTED[provider].streamedText);
    expect(last?.choices).toEqual([]);
    expect(last?.usage?.completion_tokens).toBeGreaterThan(0);
    const block = (last as unknown as { modelfaucet: Block }).modelfaucet;
    expect(block.route_mode).toBe(route);
    await expectBilled(block.request_id, provider, route);
  });

  it("streams tool calls intact: names and complete JSON arguments", async () => {
    setAnswer(provider, "tool", true);
    const stream = await stack.client(token).chat.completions.create({
      ...request(provider, route, true),
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    const calls = new Map<number, { id?: string; name: string; arguments: string }>();
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      if (!choice) continue;
      text += choice.delta.content ?? "";
      finish = choice.finish_reason ?? finish;
      for (const call of choice.delta.tool_calls ?? []) {
        const entry = calls.get(call.index) ?? { name: "", arguments: "" };
        if (call.id) entry.id = call.id;
        entry.name += call.function?.name ?? "";
        entry.arguments += call.function?.arguments ?? "";
        calls.set(call.index, entry);
      }
    }
    expect(text).toBe(EXPECTED[provider].toolText);
    expect(finish).toBe("tool_calls");
    const got = [...calls.values()].map((call) => ({ name: call.name, arguments: JSON.parse(call.arguments) }));
    expect(got).toEqual(EXPECTED[provider].tools);
    for (const call of calls.values()) expect(call.id).toBeTruthy();
  });
});

describe("stored keys stay secret", () => {
  it("sent each key upstream only in its provider's auth header", () => {
    expect(anthropic.requests.length).toBeGreaterThan(0);
    for (const sent of anthropic.requests) expect(sent.headers["x-api-key"]).toBe(ANTHROPIC_KEY);
    expect(gemini.requests.length).toBeGreaterThan(0);
    for (const sent of gemini.requests) {
      expect(sent.headers["x-goog-api-key"]).toBe(GEMINI_KEY);
      expect(sent.url).not.toContain(GEMINI_KEY);
    }
  });

  it("never shows a key in a response, header, log line or error, even when upstream rejects it", async () => {
    // A key upstream refuses: its error must not echo the key back either.
    anthropic.reply({ status: 401, body: anthropicJsonFixture("error-authentication.json") });
    const refused = await stack
      .client(token)
      .chat.completions.create(request("anthropic", "byok", false))
      .catch((error: unknown) => error as Error);
    expect(refused).toBeInstanceOf(Error);
    const listed = await stack.fetchApi("/v1/user/provider-keys", { token });
    const developerListed = await stack.fetchApi("/v1/developer/provider-keys?developer_id=dev_demo", {
      token: DEVELOPER_ADMIN_TOKEN,
    });
    expect(listed.status).toBe(200);
    expect(developerListed.status).toBe(200);
    const seen = [...stack.transcript, ...stack.logLines, String(refused), JSON.stringify(refused)].join("\n");
    for (const key of [ANTHROPIC_KEY, GEMINI_KEY]) {
      expect(seen).not.toContain(key);
      expect(seen).not.toContain(key.slice(8, 24));
    }
  });

  it("leaves the ledger reconciled with no hold open", async () => {
    expect(await stack.wallet(token)).toMatchObject({ held_usd: "0.00000000" });
    expect((await reconcile(stack.database.db)).ok).toBe(true);
  });
});
