// `model_policy: cheapest_sufficient` (issue 15, item 2): `model:
// "auto:<feature>"` is the catalog model whose worst-case charge for this
// very request is lowest among those that fit it — context window, output
// limit, capabilities (tools, JSON schema output, images, embeddings) — on a
// route the session can take; policy.models narrows the choice. Through the
// official openai client against the Gateway and a mock platform upstream:
// the choice and its reason are in the modelfaucet block (the last stream
// chunk too), the price is the chosen model's rating, and the ledger
// reconciles after every request.
import { pricePerMillionToUnits, rateUsage } from "@modelfaucet/core";
import type OpenAI from "openai";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, startRoutingStack, type RoutingStack } from "./helpers/routing-stack.js";

interface Block {
  route_mode: string;
  model: string;
  price_usd: string;
  model_choice?: { policy: string; reason: string; candidates: number; considered: number };
}

/** The test catalog: prices USD per 1M tokens (input, output), window, capabilities. Cheapest first. */
const MODELS = [
  // The cheapest, but its provider has no platform credential: reachable only through a developer key.
  { id: "cs-nocred", provider: "nocred", prices: ["0.01", "0.01"], window: 100_000, capabilities: ["tools"] },
  { id: "cs-tiny", provider: "mock", prices: ["0.05", "0.20"], window: 2_000, capabilities: [] },
  { id: "cs-tools", provider: "mock", prices: ["0.08", "0.30"], window: 4_000, capabilities: ["tools"] },
  { id: "cs-json", provider: "mock", prices: ["0.09", "0.35"], window: 4_000, capabilities: ["tools", "json_schema"] },
  { id: "cs-vision", provider: "mock", prices: ["0.12", "0.50"], window: 8_000, capabilities: ["tools", "vision"] },
  {
    id: "cs-big",
    provider: "mock",
    prices: ["1.00", "4.00"],
    window: 200_000,
    capabilities: ["tools", "json_schema", "vision"],
  },
  { id: "cs-embed", provider: "mock", prices: ["0.01", "0"], window: 8_192, capabilities: ["embeddings"] },
] as const;
const TEST_MODELS = MODELS.filter((model) => model.id !== "cs-embed").map((model) => model.id);
const PRICING = { markupBps: 3000, channelShareBps: 4000, byokGatewayFeeUnits: 0n, localFeeUnits: 0n };

let stack: RoutingStack;
let client: OpenAI;

async function admin(path: string, body: unknown) {
  const response = await fetch(`${stack.apiUrl}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return response.json();
}

beforeAll(async () => {
  stack = await startRoutingStack();
  // Catalog and features before the first Gateway request: both are cached for a few seconds.
  for (const model of MODELS) {
    await admin("/v1/admin/models", {
      id: model.id,
      provider: model.provider,
      input_usd_per_mtok: model.prices[0],
      output_usd_per_mtok: model.prices[1],
      context_window: model.window,
      max_output_tokens: model.capabilities.includes("embeddings" as never) ? 1 : 1_000,
      capabilities: model.capabilities,
    });
  }
  const platform = { route_preference: ["platform_pool"], privacy: "standard", max_output_tokens: 256 };
  await stack.feature("cheap", { ...platform, models: TEST_MODELS });
  await stack.feature("whole_catalog", platform);
  await stack.feature("vision_or_big", { ...platform, models: ["cs-vision", "cs-big"] });
  await stack.feature("small_only", { ...platform, models: ["cs-tiny", "cs-tools"] });
  await stack.feature("named", { ...platform, model_policy: "default_model", default_model: "cs-big" });
  await stack.feature("redacted", { ...platform, privacy: "redact_pii_before_cloud", models: TEST_MODELS });
  await stack.feature("embed", { ...platform, default_model: "mock-embed" });
  await stack.feature("with_key", {
    ...platform,
    route_preference: ["developer_key", "platform_pool"],
    models: TEST_MODELS,
  });
  await stack.developerKey({ apiKey: stack.byokKey, modelsAllowed: ["cs-nocred"] });
  const user = await stack.user("cheapest-user", "5.00");
  client = stack.client(user.token);
});
afterAll(async () => {
  await stack.close();
});
afterEach(async () => {
  expect(await stack.reconciled()).toBe(true);
});

const blockOf = (answer: unknown) => (answer as { modelfaucet: Block }).modelfaucet;
const ask = (content: OpenAI.Chat.Completions.ChatCompletionUserMessageParam["content"]) => [
  { role: "user" as const, content },
];
/** About `tokens` prompt tokens: one per repeated word. */
const longPrompt = (tokens: number) => "river ".repeat(tokens);

async function chat(
  feature: string,
  extra: Partial<OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming> = {},
) {
  return client.chat.completions.create({ model: `auto:${feature}`, messages: ask("Say hi."), ...extra });
}

/** What the chosen model's price rates the answer's usage at: what the user must have been charged. */
function expectedPrice(modelId: string, usage: { prompt_tokens: number; completion_tokens: number }) {
  const model = MODELS.find((candidate) => candidate.id === modelId)!;
  const [input, output] = model.prices.map((usd) => pricePerMillionToUnits(usd));
  const price = { inputUnitsPerMTok: input!, cachedInputUnitsPerMTok: input!, outputUnitsPerMTok: output! };
  const tokens = { inputTokens: usage.prompt_tokens, cachedInputTokens: 0, outputTokens: usage.completion_tokens };
  const { retail } = rateUsage({ usage: tokens, price, pricing: PRICING, routeMode: "platform" });
  return (Number(retail) / 1e8).toFixed(8);
}

describe("cheapest_sufficient", () => {
  it("picks the cheapest model that fits, says why, and charges that model's rating", async () => {
    const answer = await chat("cheap");
    const block = blockOf(answer);
    expect(block).toMatchObject({ model: "cs-tiny", route_mode: "platform" });
    // cs-nocred has no credential on the platform pool: it is not even considered.
    expect(block.model_choice).toEqual({
      policy: "cheapest_sufficient",
      reason: expect.stringMatching(/^cheapest of 5 models fitting \d+ prompt \+ 256 output tokens$/),
      candidates: 5,
      considered: 5,
    });
    expect(block.price_usd).toBe(expectedPrice("cs-tiny", answer.usage!));
    const event = await stack.usageEvent(answer._request_id!);
    expect(event).toMatchObject({ model: "cs-tiny", route_mode: "platform" });
  });

  it("moves a long prompt to a model with a bigger window", async () => {
    const medium = await chat("cheap", { messages: ask(longPrompt(3000)) });
    expect(blockOf(medium).model).toBe("cs-tools");
    expect(blockOf(medium).model_choice!.candidates).toBe(4);
    const long = await chat("cheap", { messages: ask(longPrompt(6000)) });
    expect(blockOf(long)).toMatchObject({ model: "cs-vision", model_choice: { candidates: 2 } });
    expect(blockOf(long).price_usd).toBe(expectedPrice("cs-vision", long.usage!));
  });

  it("skips models that lack what the request uses: tools, JSON schema output, images", async () => {
    const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
      { type: "function", function: { name: "lookup", parameters: { type: "object", properties: {} } } },
    ];
    const withTools = await chat("cheap", { tools });
    expect(blockOf(withTools)).toMatchObject({ model: "cs-tools" });
    expect(blockOf(withTools).model_choice!.reason).toMatch(/ with tools$/);

    const schema = { type: "json_schema" as const, json_schema: { name: "reply", schema: { type: "object" } } };
    expect(blockOf(await chat("cheap", { response_format: schema })).model).toBe("cs-json");

    const image = { type: "image_url" as const, image_url: { url: "https://example.com/cat.png" } };
    const seeing = await chat("cheap", { messages: ask([{ type: "text", text: "What is this?" }, image]) });
    expect(blockOf(seeing).model).toBe("cs-vision");
    const both = await chat("cheap", { messages: ask([image]), response_format: schema });
    expect(blockOf(both)).toMatchObject({ model: "cs-big", model_choice: { candidates: 1 } });
    expect(blockOf(both).model_choice!.reason).toMatch(
      /^the only one of the models fitting .* with json_schema, vision$/,
    );
  });

  it("chooses only from policy.models, and from every routable catalog model without it", async () => {
    expect(blockOf(await chat("vision_or_big")).model).toBe("cs-vision");
    // The whole catalog: the seeded models too; those with no platform credential (openai, anthropic, google,
    // nocred) are left out, and so are embedding models.
    const whole = blockOf(await chat("whole_catalog"));
    expect(whole).toMatchObject({ model: "cs-tiny", model_choice: { considered: 7 } });
  });

  it("takes a model reachable only through a developer key when the feature allows that route", async () => {
    const answer = await chat("with_key", { tools: [{ type: "function", function: { name: "f" } }] });
    expect(blockOf(answer)).toMatchObject({ model: "cs-nocred", route_mode: "developer_key" });
  });

  it("refuses a request no allowed model can serve, naming why", async () => {
    const image = { type: "image_url" as const, image_url: { url: "https://example.com/cat.png" } };
    const blind = await chat("small_only", { messages: ask([image]) }).catch((error: unknown) => error);
    expect(blind).toMatchObject({ status: 400, code: "invalid_request" });
    expect((blind as Error).message).toMatch(/None of the 2 models feature "small_only" may use supports vision/);

    const tooLong = await chat("small_only", { messages: ask(longPrompt(5000)) }).catch((error: unknown) => error);
    expect(tooLong).toMatchObject({ status: 400, code: "context_length_exceeded" });
    expect((tooLong as Error).message).toMatch(/largest context window .* is 4000 tokens/);

    const tooMuch = await chat("small_only", { max_tokens: 257 }).catch((error: unknown) => error);
    expect(tooMuch).toMatchObject({ status: 400, code: "invalid_request" });
  });

  it("uses policy.default_model, with no choice to explain, under model_policy default_model", async () => {
    const block = blockOf(await chat("named"));
    expect(block.model).toBe("cs-big");
    expect(block.model_choice).toBeUndefined();
  });

  it("counts the redacted prompt before choosing", async () => {
    const answer = await chat("redacted", { messages: ask(`Mail jane.doe@example.com: ${longPrompt(2500)}`) });
    expect(blockOf(answer).model).toBe("cs-tools");
  });

  it("keeps the choice on a stream's last chunk", async () => {
    const stream = await client.chat.completions.create({
      model: "auto:cheap",
      messages: ask("Say hi."),
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const block = blockOf(chunks.at(-1));
    expect(block).toMatchObject({ model: "cs-tiny", model_choice: { policy: "cheapest_sufficient", candidates: 5 } });
    expect(block.price_usd).toBe(expectedPrice("cs-tiny", chunks.at(-1)!.usage!));
  });

  it("chooses among embedding models for embeddings, and among chat models for Responses", async () => {
    const embedded = await client.embeddings.create({ model: "auto:embed", input: ["one", "two"] });
    expect(blockOf(embedded)).toMatchObject({
      model: "cs-embed",
      model_choice: { reason: expect.stringMatching(/^cheapest of 2 embedding models fitting \d+ input tokens$/) },
    });
    // Through the translation to chat (the mock platform is not OpenAI): a long input needs a bigger window.
    const response = await client.responses.create({ model: "auto:cheap", input: longPrompt(3000) });
    expect(blockOf(response)).toMatchObject({ model: "cs-tools", model_choice: { candidates: 4 } });
  });

  it("lets the operator set capabilities in the catalog, each known one at most once", async () => {
    // Provider "nocred": never routable here, so the other tests' catalogs stay as they are.
    const model = { id: "cs-admin", provider: "nocred", input_usd_per_mtok: "1", output_usd_per_mtok: "1" };
    const created = await admin("/v1/admin/models", { ...model, context_window: 1000, max_output_tokens: 100 });
    expect(created).toMatchObject({ id: "cs-admin", capabilities: [] });
    const later = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
    // In the catalog's order whatever order they were given; a new price keeps them.
    const set = await admin("/v1/admin/models", {
      id: "cs-admin",
      capabilities: ["vision", "tools"],
      effective_from: later(1),
    });
    expect(set).toMatchObject({ capabilities: ["tools", "vision"] });
    expect(await admin("/v1/admin/models", { id: "cs-admin", effective_from: later(2) })).toMatchObject({
      capabilities: ["tools", "vision"],
    });
    for (const capabilities of [["tools", "tools"], ["embeddings", "tools"], ["chat"]]) {
      const refused = await fetch(`${stack.apiUrl}/v1/admin/models`, {
        method: "POST",
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({ id: "cs-admin", capabilities, effective_from: later(3) }),
      });
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({ error: { message: expect.stringMatching(/capabilit/) } });
    }
  });

  it("shows each model's capabilities in GET /v1/models", async () => {
    const models = await client.models.list({ query: { feature_key: "cheap" } });
    const byId = new Map(models.data.map((model) => [model.id, model as unknown as { capabilities: string[] }]));
    expect(byId.get("cs-json")!.capabilities).toEqual(["tools", "json_schema"]);
    expect(byId.get("cs-tiny")!.capabilities).toEqual([]);
    expect(byId.get("mock-embed")!.capabilities).toEqual(["embeddings"]);
  });
});
