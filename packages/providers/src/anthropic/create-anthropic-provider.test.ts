import { inspect } from "node:util";
import { ChatCompletionStream } from "openai/lib/ChatCompletionStream";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ProviderError } from "../errors/provider-error.js";
import type { ChatContext, ChatStream } from "../spec/chat-provider.js";
import type { ChatCompletionChunk, ChatRequest } from "../spec/chat-wire.js";
import { countTextTokens } from "../tokens/count-tokens.js";
import { createAnthropicProvider, type AnthropicProvider } from "./create-anthropic-provider.js";
import { readFixtureText, readJsonFixture, startFakeAnthropic, type FakeAnthropic } from "./start-fake-anthropic.js";

// Anthropic's documented payloads (__fixtures__) replayed through a local fake of api.anthropic.com;
// each test checks the request we sent and the result we built.
const KEY = "sk-ant-api03-test-0123456789abcdef";
let fake: FakeAnthropic;
let provider: AnthropicProvider;

beforeAll(async () => {
  fake = await startFakeAnthropic(KEY);
  provider = createAnthropicProvider({ baseUrl: fake.baseUrl, apiKey: KEY, headersTimeoutMs: 2_000 });
});
afterAll(async () => {
  await provider.close();
  await fake.close();
});
beforeEach(() => {
  fake.requests.length = 0;
});

function ctx(): ChatContext {
  return { signal: new AbortController().signal, requestId: "req_gateway_1" };
}

async function drain(stream: ChatStream) {
  const chunks: ChatCompletionChunk[] = [];
  let error: unknown;
  try {
    for await (const chunk of stream) chunks.push(chunk);
  } catch (e) {
    error = e;
  }
  return { chunks, error };
}

async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

function expectNoKey(error: ProviderError): void {
  for (const text of [error.message, error.rawBody ?? "", JSON.stringify(error), inspect(error, { depth: 5 })]) {
    expect(text).not.toContain(KEY);
    expect(text).not.toContain(KEY.slice(0, 16));
  }
}

const textRequest: ChatRequest = {
  model: "claude-sonnet-4-20250514",
  messages: [
    { role: "system", content: "You are Claude." },
    { role: "developer", content: [{ type: "text", text: "Be brief." }] },
    { role: "user", content: "Hello, Claude" },
  ],
  max_completion_tokens: 256,
  max_tokens: 9999,
  temperature: 0.5,
  top_p: 0.9,
  stop: "\n\nHuman:",
  user: "user-hash-42",
  n: 1,
  presence_penalty: 0.5,
  stream: true,
  stream_options: { include_usage: true },
};

const translatedText = {
  model: "claude-sonnet-4-20250514",
  max_tokens: 256,
  system: [
    { type: "text", text: "You are Claude." },
    { type: "text", text: "Be brief." },
  ],
  messages: [{ role: "user", content: [{ type: "text", text: "Hello, Claude" }] }],
  temperature: 0.5,
  top_p: 0.9,
  stop_sequences: ["\n\nHuman:"],
  metadata: { user_id: "user-hash-42" },
};

describe("chat (non-streaming)", () => {
  it("text: sends a Messages request and builds a chat.completion with cache-aware usage", async () => {
    fake.reply({ body: readJsonFixture("messages-text.json") });
    const result = await provider.chat(textRequest, ctx());

    const sent = fake.requests[0];
    expect(sent?.method).toBe("POST");
    expect(sent?.url).toBe("/v1/messages");
    expect(sent?.headers).toMatchObject({
      "x-api-key": KEY,
      "anthropic-version": "2023-06-01",
      "content-type": "application/json",
      accept: "application/json",
      "x-client-request-id": "req_gateway_1",
    });
    expect(sent?.headers.authorization).toBeUndefined();
    expect(sent?.body).toEqual({ ...translatedText, stream: false });

    expect(result.body).toEqual({
      id: "msg_013Zva2CMHLNnXjNJJKqJ2EF",
      object: "chat.completion",
      created: expect.any(Number),
      model: "claude-sonnet-4-20250514",
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: "Hi! My name is Claude.", refusal: null },
          logprobs: null,
          finish_reason: "stop",
        },
      ],
      usage: {
        prompt_tokens: 2009,
        completion_tokens: 393,
        total_tokens: 2402,
        prompt_tokens_details: { cached_tokens: 1800 },
      },
    });
    // input_tokens 21 + cache_read 1800 + cache_creation 188.
    expect(result.usage).toEqual({ inputTokens: 2009, cachedInputTokens: 1800, outputTokens: 393 });
    expect(result.usageSource).toBe("upstream");
    expect(result.rawUsage).toEqual((readJsonFixture("messages-text.json") as { usage: unknown }).usage);
    expect(result.upstreamRequestId).toBe("req_fake_1");
    expect(result.warnings).toEqual([
      { type: "unsupported-setting", setting: "presence_penalty", details: expect.any(String) },
    ]);
  });

  it("tool use: tools, tool_choice, history with tool calls, results and images; answer with tool_calls", async () => {
    fake.reply({ body: readJsonFixture("messages-tool-use.json") });
    const request: ChatRequest = {
      model: "claude-opus-4-1-20250805",
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "What is the weather like where this photo was taken?" },
            { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
            { type: "image_url", image_url: { url: "https://example.com/sf.jpg", detail: "auto" } },
          ],
        },
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "toolu_prev", type: "function", function: { name: "locate", arguments: '{"photo":1}' } }],
        },
        { role: "tool", tool_call_id: "toolu_prev", content: "San Francisco, CA" },
        { role: "user", content: "Use celsius." },
      ],
      tools: [
        {
          type: "function",
          function: {
            name: "get_weather",
            description: "Get the current weather in a given location",
            parameters: { type: "object", properties: { location: { type: "string" } }, required: ["location"] },
          },
        },
        { type: "function", function: { name: "locate" } },
      ],
      tool_choice: "required",
      parallel_tool_calls: false,
    };
    const result = await provider.chat(request, ctx());

    expect(fake.requests[0]?.body).toEqual({
      model: "claude-opus-4-1-20250805",
      max_tokens: 4096,
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "What is the weather like where this photo was taken?" },
            { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
            { type: "image", source: { type: "url", url: "https://example.com/sf.jpg" } },
          ],
        },
        { role: "assistant", content: [{ type: "tool_use", id: "toolu_prev", name: "locate", input: { photo: 1 } }] },
        {
          role: "user",
          content: [
            { type: "tool_result", tool_use_id: "toolu_prev", content: "San Francisco, CA" },
            { type: "text", text: "Use celsius." },
          ],
        },
      ],
      tools: [
        {
          name: "get_weather",
          description: "Get the current weather in a given location",
          input_schema: { type: "object", properties: { location: { type: "string" } }, required: ["location"] },
        },
        { name: "locate", input_schema: { type: "object", properties: {} } },
      ],
      tool_choice: { type: "any", disable_parallel_tool_use: true },
      stream: false,
    });

    expect(result.body.choices).toEqual([
      {
        index: 0,
        message: {
          role: "assistant",
          content: "I'll check the current weather in San Francisco for you.",
          refusal: null,
          tool_calls: [
            {
              id: "toolu_01A09q90qw90lq917835lq9",
              type: "function",
              function: { name: "get_weather", arguments: '{"location":"San Francisco, CA","unit":"celsius"}' },
            },
          ],
        },
        logprobs: null,
        finish_reason: "tool_calls",
      },
    ]);
    expect(result.usage).toEqual({ inputTokens: 384, cachedInputTokens: 0, outputTokens: 92 });
    expect(result.warnings).toEqual([]);
  });
});

describe("chatStream", () => {
  it("text: Anthropic events become chat.completion.chunks; usage from message_start + message_delta", async () => {
    fake.reply({ body: readFixtureText("messages-text.chunks.txt") });
    const stream = await provider.chatStream(textRequest, ctx());
    const { chunks, error } = await drain(stream);
    expect(error).toBeUndefined();

    expect(fake.requests[0]?.headers.accept).toBe("text/event-stream");
    expect(fake.requests[0]?.body).toEqual({ ...translatedText, stream: true });

    const base = {
      id: "msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY",
      object: "chat.completion.chunk",
      model: "claude-opus-4-1-20250805",
    };
    const choice = (delta: object, finish: string | null = null) => [
      { index: 0, delta, logprobs: null, finish_reason: finish },
    ];
    expect(chunks).toEqual([
      { ...base, created: expect.any(Number), choices: choice({ role: "assistant", content: "" }) },
      { ...base, created: expect.any(Number), choices: choice({ content: "Hello" }) },
      { ...base, created: expect.any(Number), choices: choice({ content: "!" }) },
      { ...base, created: expect.any(Number), choices: choice({}, "stop") },
    ]);
    expect(stream.delivered.text).toBe("Hello!");
    expect(stream.delivered.chunks).toBe(4);
    expect(stream.usage).toEqual({ inputTokens: 35, cachedInputTokens: 10, outputTokens: 15 });
    expect(stream.usageSource).toBe("upstream");
    expect(stream.rawUsage).toEqual({
      input_tokens: 25,
      cache_read_input_tokens: 10,
      cache_creation_input_tokens: 0,
      output_tokens: 15,
    });
    expect(stream.upstreamRequestId).toBe("req_fake_1");
    expect(stream.warnings.map((w) => (w.type === "other" ? w.message : w.setting))).toEqual(["presence_penalty"]);
  });

  it("tool use: input_json_delta becomes tool_calls argument deltas the openai client accumulates", async () => {
    fake.reply({ body: readFixtureText("messages-tool-use.chunks.txt") });
    const stream = await provider.chatStream(
      { model: "claude-opus-4-1-20250805", messages: [{ role: "user", content: "Weather in SF?" }] },
      ctx(),
    );
    const { chunks, error } = await drain(stream);
    expect(error).toBeUndefined();

    expect(chunks[3]?.choices).toEqual([
      {
        index: 0,
        delta: {
          tool_calls: [
            {
              index: 0,
              id: "toolu_01T1x1fJ34qAmk2tNTrN7Up6",
              type: "function",
              function: { name: "get_weather", arguments: "" },
            },
          ],
        },
        logprobs: null,
        finish_reason: null,
      },
    ]);
    expect(chunks[4]?.choices).toEqual([
      {
        index: 0,
        delta: { tool_calls: [{ index: 0, function: { arguments: '{"location":' } }] },
        logprobs: null,
        finish_reason: null,
      },
    ]);
    expect(chunks).toHaveLength(3 + 1 + 8 + 1); // role, 2 texts, tool start, 8 non-empty deltas, finish

    // The official client's accumulator must rebuild the whole answer from our chunks.
    const lines = chunks.map((chunk) => JSON.stringify(chunk) + "\n").join("");
    const runner = ChatCompletionStream.fromReadableStream(new Blob([lines]).stream());
    const final = await runner.finalChatCompletion();
    const message = final.choices[0]?.message;
    expect(message?.content).toBe("Okay, let's check the weather for San Francisco, CA:");
    expect(message?.tool_calls).toEqual([
      {
        id: "toolu_01T1x1fJ34qAmk2tNTrN7Up6",
        type: "function",
        function: { name: "get_weather", arguments: '{"location": "San Francisco, CA", "unit": "fahrenheit"}' },
      },
    ]);
    expect(final.choices[0]?.finish_reason).toBe("tool_calls");
    expect(stream.usage).toEqual({ inputTokens: 472, cachedInputTokens: 0, outputTokens: 89 });
  });

  it("an error event mid-stream: the delivered chunks first, then stream_error; usage keeps the prompt count", async () => {
    fake.reply({ body: readFixtureText("error-mid-stream.chunks.txt") });
    const stream = await provider.chatStream(textRequest, ctx());
    const { chunks, error } = await drain(stream);
    expect(chunks.map((chunk) => (chunk.choices[0] as { delta: unknown }).delta)).toEqual([
      { role: "assistant", content: "" },
      { content: "Partial answer" },
    ]);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      kind: "stream_error",
      retryable: false,
      upstreamType: "overloaded_error",
      upstreamRequestId: "req_fake_1",
    });
    expect((error as ProviderError).rawBody).toContain("Overloaded");
    // Anthropic's prompt count is exact; its output count (message_start's 1) is not, so delivered text is counted.
    expect(stream.usage).toEqual({
      inputTokens: 12,
      cachedInputTokens: 0,
      outputTokens: countTextTokens("Partial answer"),
    });
    expect(stream.usageSource).toBe("estimated");
  });

  it("a stream cut before message_delta is interrupted", async () => {
    const events = readFixtureText("messages-text.chunks.txt").split("\n\n");
    fake.reply({ body: events.slice(0, 4).join("\n\n") + "\n\n" });
    const { chunks, error } = await drain(await provider.chatStream(textRequest, ctx()));
    expect(chunks).toHaveLength(2);
    expect(error).toMatchObject({ kind: "stream_interrupted", retryable: false });
  });

  it("a consumer that stops early closes the stream; usage keeps Anthropic's prompt count", async () => {
    fake.reply({ body: readFixtureText("messages-text.chunks.txt") });
    const stream = await provider.chatStream(textRequest, ctx());
    for await (const chunk of stream) {
      expect(chunk.object).toBe("chat.completion.chunk");
      break;
    }
    stream.cancel(); // idempotent after the break
    expect(stream.delivered.chunks).toBe(1);
    expect(stream.usage).toEqual({ inputTokens: 35, cachedInputTokens: 10, outputTokens: 1 });
    expect(stream.usageSource).toBe("estimated");
  });

  it("a refusal before the stream starts rejects chatStream itself", async () => {
    fake.reply({ status: 529, body: readJsonFixture("error-overloaded.json") });
    const error = await rejection(provider.chatStream(textRequest, ctx()));
    expect(error).toMatchObject({ kind: "http", status: 529, retryable: true, upstreamType: "overloaded_error" });
  });
});

describe("errors", () => {
  it("429 rate_limit_error: retryable, with Retry-After and the request id", async () => {
    fake.reply({ status: 429, headers: { "retry-after": "7" }, body: readJsonFixture("error-rate-limit.json") });
    const error = await rejection(provider.chat(textRequest, ctx()));
    expect(error).toMatchObject({
      kind: "http",
      status: 429,
      retryable: true,
      retryAfterSeconds: 7,
      upstreamType: "rate_limit_error",
      upstreamCode: "rate_limit_error",
      upstreamRequestId: "req_fake_1",
      message: 'Upstream "anthropic" returned HTTP 429.',
    });
    expect(error.rawBody).toContain("exceed the rate limit");
  });

  it("529 overloaded_error is retryable; x-should-retry: false overrides", async () => {
    fake.reply({ status: 529, body: readJsonFixture("error-overloaded.json") });
    expect(await rejection(provider.chat(textRequest, ctx()))).toMatchObject({ status: 529, retryable: true });
    fake.reply({ status: 529, headers: { "x-should-retry": "false" }, body: readJsonFixture("error-overloaded.json") });
    expect(await rejection(provider.chat(textRequest, ctx()))).toMatchObject({ status: 529, retryable: false });
  });

  it("401 authentication_error: not retryable, and the key appears nowhere", async () => {
    const wrongKey = createAnthropicProvider({ id: "anthropic-byok", baseUrl: fake.baseUrl, apiKey: `${KEY}-wrong` });
    const error = await rejection(wrongKey.chat(textRequest, ctx()));
    expect(error).toMatchObject({ kind: "http", status: 401, retryable: false, upstreamType: "authentication_error" });
    await wrongKey.close();

    // An upstream echoing the key (some proxies do): redacted from rawBody and labels.
    const echo = { type: "error", error: { type: `invalid_key_${KEY}`, message: `invalid x-api-key ${KEY}` } };
    fake.reply({ status: 401, body: echo });
    const echoed = await rejection(provider.chat(textRequest, ctx()));
    expect(echoed.rawBody).toContain("[REDACTED]");
    expectNoKey(echoed);

    fake.reply({ body: `event: error\ndata: ${JSON.stringify(echo)}\n\n` });
    const { error: streamError } = await drain(await provider.chatStream(textRequest, ctx()));
    expect(streamError).toMatchObject({ kind: "stream_error", retryable: true });
    expectNoKey(streamError as ProviderError);
  });

  it("malformed 2xx answers → invalid_response", async () => {
    fake.reply({ body: { type: "not-a-message" } });
    expect(await rejection(provider.chat(textRequest, ctx()))).toMatchObject({ kind: "invalid_response" });
    fake.reply({ body: "event: message_start\ndata: {oops\n\n" });
    const { error } = await drain(await provider.chatStream(textRequest, ctx()));
    expect(error).toMatchObject({ kind: "invalid_response" });
  });
});

describe("options", () => {
  it("requires a key and refuses headers the adapter owns, never echoing the key", () => {
    expect(() => createAnthropicProvider({ apiKey: "" })).toThrow(/apiKey is required/);
    expect(() => createAnthropicProvider({ apiKey: KEY, headers: { "X-Api-Key": "other" } })).toThrow(/x-api-key/);
    expect(() => createAnthropicProvider({ apiKey: KEY, baseUrl: `https://user:${KEY}@example.com` })).toThrow(
      /credentials/,
    );
    expect(() => createAnthropicProvider({ apiKey: KEY, defaultMaxTokens: 0 })).toThrow(/defaultMaxTokens/);
    try {
      createAnthropicProvider({ apiKey: KEY, baseUrl: `https://user:${KEY}@example.com` });
    } catch (e) {
      expect(String(e)).not.toContain(KEY);
    }
  });

  it("a base URL path prefix is kept (proxies)", async () => {
    const proxied = createAnthropicProvider({ baseUrl: `${fake.baseUrl}/anthropic/`, apiKey: KEY });
    fake.reply({ body: readJsonFixture("messages-text.json") });
    await proxied.chat(textRequest, ctx());
    expect(fake.requests[0]?.url).toBe("/anthropic/v1/messages");
    await proxied.close();
  });
});
