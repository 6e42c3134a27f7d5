import { inspect } from "node:util";
import { AppError } from "@modelfaucet/core";
import { afterEach, describe, expect, it } from "vitest";
import { ProviderError } from "../errors/provider-error.js";
import type { ChatStream } from "../spec/chat-provider.js";
import type { ChatCompletionChunk, ChatRequest } from "../spec/chat-wire.js";
import { countChatPromptTokens, countTextTokens } from "../tokens/count-tokens.js";
import { createGeminiProvider, type GeminiProvider } from "./create-gemini-provider.js";
import {
  geminiFixture,
  sendEvents,
  sendJson,
  startFakeGemini,
  type FakeGemini,
  type FakeGeminiRequest,
} from "./start-fake-gemini.js";

const KEY = "AIzaSyTest-0123456789abcdefghijklmnop";
const ctx = () => ({ signal: new AbortController().signal, requestId: "req_gemini" });
const weatherTool = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Current weather",
    parameters: {
      type: "object",
      properties: { location: { type: "string" }, unit: { type: ["string", "null"], enum: ["celsius", "fahrenheit"] } },
      required: ["location"],
      additionalProperties: false,
    },
  },
};
const textRequest: ChatRequest = {
  model: "gemini-2.5-flash",
  messages: [
    { role: "system", content: "Answer in one sentence." },
    { role: "user", content: "Explain how AI works" },
  ],
  max_tokens: 200,
  temperature: 0.3,
};

let fake: FakeGemini | undefined;
let provider: GeminiProvider | undefined;
afterEach(async () => {
  await provider?.close();
  await fake?.close();
  provider = undefined;
  fake = undefined;
});

async function providerAnswering(
  answer: (request: FakeGeminiRequest, res: Parameters<Parameters<typeof startFakeGemini>[0]>[1]) => void,
): Promise<GeminiProvider> {
  fake = await startFakeGemini(answer);
  provider = createGeminiProvider({ baseUrl: fake.baseUrl, apiKey: KEY, headersTimeoutMs: 5_000 });
  return provider;
}

async function collect(stream: ChatStream) {
  const chunks: ChatCompletionChunk[] = [];
  let error: unknown;
  try {
    for await (const chunk of stream) chunks.push(chunk);
  } catch (e) {
    error = e;
  }
  return { chunks, error };
}

const deltas = (chunks: ChatCompletionChunk[]) =>
  chunks.map((chunk) => {
    const choice = chunk.choices[0] as { index: number; delta: unknown; finish_reason: unknown };
    return { index: choice.index, delta: choice.delta, finish_reason: choice.finish_reason };
  });

function expectNoKey(value: unknown): void {
  const texts = [JSON.stringify(value), inspect(value, { depth: 6 })];
  if (value instanceof Error) texts.push(value.message, (value as ProviderError).rawBody ?? "");
  for (const text of texts) {
    expect(text).not.toContain(KEY);
    expect(text).not.toContain(KEY.slice(0, 12));
  }
}

describe("createGeminiProvider: non-streaming", () => {
  it("sends the key in x-goog-api-key only, the translated body to :generateContent, and builds a chat.completion", async () => {
    const p = await providerAnswering((_req, res) => sendJson(res, 200, geminiFixture("generate-content-text.json")));
    const result = await p.chat(textRequest, ctx());

    const sent = fake?.requests[0];
    expect(sent?.method).toBe("POST");
    expect(sent?.url).toBe("/v1beta/models/gemini-2.5-flash:generateContent");
    expect(sent?.url).not.toContain(KEY);
    expect(sent?.headers).toMatchObject({ "x-goog-api-key": KEY, "content-type": "application/json" });
    expect(sent?.headers.authorization).toBeUndefined();
    expect(sent?.body).toEqual({
      contents: [{ role: "user", parts: [{ text: "Explain how AI works" }] }],
      systemInstruction: { parts: [{ text: "Answer in one sentence." }] },
      generationConfig: { maxOutputTokens: 200, temperature: 0.3 },
    });

    expect(result.body).toMatchObject({
      id: "chatcmpl-Yt7MaIfpHouJ1dkPn8Ck8Qg",
      object: "chat.completion",
      model: "gemini-2.5-flash",
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content:
              "AI systems learn patterns from examples, then use those patterns to make predictions about new data.",
          },
          finish_reason: "stop",
        },
      ],
      usage: {
        prompt_tokens: 12,
        completion_tokens: 18 + 987,
        total_tokens: 12 + 18 + 987,
        prompt_tokens_details: { cached_tokens: 4 },
        completion_tokens_details: { reasoning_tokens: 987 },
      },
    });
    expect(result.usage).toEqual({ inputTokens: 12, cachedInputTokens: 4, outputTokens: 1005 });
    expect(result.usageSource).toBe("upstream");
    expect(result.rawUsage).toMatchObject({ promptTokenCount: 12, thoughtsTokenCount: 987 });
    expect(result.upstreamRequestId).toBe("Yt7MaIfpHouJ1dkPn8Ck8Qg");
    expect(result.warnings).toEqual([]);
  });

  it("a function call → tool_calls with a generated id, the thought signature kept, finish_reason tool_calls", async () => {
    const p = await providerAnswering((_req, res) =>
      sendJson(res, 200, geminiFixture("generate-content-function-call.json")),
    );
    const request: ChatRequest = {
      model: "gemini-2.5-flash",
      messages: [
        {
          role: "user",
          content: "Schedule a meeting with Bob and Alice for 03/27/2025 at 10:00 AM about Q3 planning.",
        },
      ],
      tools: [
        {
          type: "function",
          function: {
            name: "schedule_meeting",
            description: "Schedules a meeting with specified attendees at a given time and date.",
            parameters: {
              type: "object",
              properties: {
                attendees: { type: "array", items: { type: "string" } },
                date: { type: "string", description: "Date of the meeting (e.g., '2024-07-29')" },
                time: { type: "string" },
                topic: { type: "string" },
              },
              required: ["attendees", "date", "time", "topic"],
            },
          },
        },
      ],
      tool_choice: "auto",
    };
    const result = await p.chat(request, ctx());
    expect(fake?.requests[0]?.body).toMatchObject({
      tools: [{ functionDeclarations: [{ name: "schedule_meeting", parameters: { type: "object" } }] }],
      toolConfig: { functionCallingConfig: { mode: "AUTO" } },
    });
    const choice = result.body.choices[0] as {
      message: { content: unknown; tool_calls: unknown[] };
      finish_reason: string;
    };
    expect(choice.finish_reason).toBe("tool_calls");
    expect(choice.message.content).toBeNull();
    expect(choice.message.tool_calls).toEqual([
      {
        id: expect.stringMatching(/^call_[0-9a-f]{24}$/) as unknown,
        type: "function",
        function: {
          name: "schedule_meeting",
          arguments: JSON.stringify({
            attendees: ["Bob", "Alice"],
            date: "2025-03-27",
            time: "10:00",
            topic: "Q3 planning",
          }),
        },
        extra_content: { google: { thought_signature: "CiQBVKhc7nHq0PXbLs0cS2yGkI3ltoQ1x6h0Sxm0bXNXh1VhRVQ=" } },
      },
    ]);
    expect(result.usage).toEqual({ inputTokens: 105, cachedInputTokens: 0, outputTokens: 31 + 82 });
  });

  it("a blocked prompt → an empty content_filter completion billed at Gemini's prompt count", async () => {
    const p = await providerAnswering((_req, res) => sendJson(res, 200, geminiFixture("prompt-blocked.json")));
    const result = await p.chat(textRequest, ctx());
    expect(result.body.choices).toEqual([
      { index: 0, message: { role: "assistant", content: null }, logprobs: null, finish_reason: "content_filter" },
    ]);
    expect(result.usage).toEqual({ inputTokens: 9, cachedInputTokens: 0, outputTokens: 0 });
    expect(result.usageSource).toBe("upstream");
  });

  it("warnings are returned with the result; nothing unsupported is sent", async () => {
    const p = await providerAnswering((_req, res) => sendJson(res, 200, geminiFixture("generate-content-text.json")));
    const result = await p.chat({ ...textRequest, logit_bias: { "50256": -100 }, user: "u_1" }, ctx());
    expect(result.warnings).toEqual([
      { type: "unsupported-setting", setting: "logit_bias" },
      { type: "unsupported-setting", setting: "user" },
    ]);
    expect(fake?.requests[0]?.body).not.toHaveProperty("logit_bias");
  });

  it("input Gemini cannot take is refused before any request (AppError invalid_request)", async () => {
    const p = await providerAnswering((_req, res) => sendJson(res, 200, "{}"));
    const gsImage = {
      model: "gemini-2.5-flash",
      messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "gs://bucket/cat.png" } }] }],
    };
    const error = await p.chat(gsImage, ctx()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "invalid_request", status: 400 });
    await expect(p.chatStream({ model: "../v1/files", messages: [] }, ctx())).rejects.toMatchObject({
      code: "invalid_request",
    });
    expect(fake?.requests).toHaveLength(0);
  });

  it("a 200 body without candidates or block reason → invalid_response", async () => {
    const p = await providerAnswering((_req, res) => sendJson(res, 200, '{"usageMetadata":{"promptTokenCount":3}}'));
    await expect(p.chat(textRequest, ctx())).rejects.toMatchObject({ kind: "invalid_response", retryable: false });
  });
});

describe("createGeminiProvider: errors", () => {
  it("429 RESOURCE_EXHAUSTED → retryable, retryAfterSeconds from RetryInfo", async () => {
    const p = await providerAnswering((_req, res) =>
      sendJson(res, 429, geminiFixture("error-429-resource-exhausted.json")),
    );
    const error = await p.chat(textRequest, ctx()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      kind: "http",
      status: 429,
      retryable: true,
      retryAfterSeconds: 37,
      upstreamCode: "RESOURCE_EXHAUSTED",
      message: 'Upstream "gemini" returned HTTP 429.',
    });
    expect((error as ProviderError).rawBody).toContain("GenerateRequestsPerMinute");
  });

  it("a Retry-After header wins over RetryInfo", async () => {
    const p = await providerAnswering((_req, res) =>
      sendJson(res, 429, geminiFixture("error-429-resource-exhausted.json"), { "retry-after": "5" }),
    );
    await expect(p.chatStream(textRequest, ctx())).rejects.toMatchObject({ status: 429, retryAfterSeconds: 5 });
  });

  it("400 INVALID_ARGUMENT (bad key) → not retryable, reason kept as upstreamType", async () => {
    const p = await providerAnswering((_req, res) =>
      sendJson(res, 400, geminiFixture("error-400-api-key-invalid.json")),
    );
    const error = await p.chat(textRequest, ctx()).catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: "http",
      status: 400,
      retryable: false,
      upstreamCode: "INVALID_ARGUMENT",
      upstreamType: "API_KEY_INVALID",
    });
    expectNoKey(error);
  });

  it("403 PERMISSION_DENIED echoing the key → not retryable, key redacted everywhere", async () => {
    const p = await providerAnswering((_req, res) =>
      sendJson(
        res,
        403,
        JSON.stringify({
          error: {
            code: 403,
            message: `Method doesn't allow unregistered callers (key ${KEY}).`,
            status: "PERMISSION_DENIED",
          },
        }),
      ),
    );
    const error = await p.chat(textRequest, ctx()).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 403, retryable: false, upstreamCode: "PERMISSION_DENIED" });
    expect((error as ProviderError).rawBody).toContain("[REDACTED]");
    expectNoKey(error);
  });

  it("500 and 503 → retryable", async () => {
    let status = 500;
    const p = await providerAnswering((_req, res) =>
      sendJson(
        res,
        status,
        JSON.stringify({
          error: {
            code: status,
            message: "The model is overloaded.",
            status: status === 500 ? "INTERNAL" : "UNAVAILABLE",
          },
        }),
      ),
    );
    await expect(p.chat(textRequest, ctx())).rejects.toMatchObject({
      status: 500,
      retryable: true,
      upstreamCode: "INTERNAL",
    });
    status = 503;
    await expect(p.chatStream(textRequest, ctx())).rejects.toMatchObject({
      status: 503,
      retryable: true,
      upstreamCode: "UNAVAILABLE",
    });
  });
});

describe("createGeminiProvider: streaming", () => {
  it("text: :streamGenerateContent?alt=sse, role chunk first, content deltas, finish, usage from the last usageMetadata", async () => {
    const p = await providerAnswering((_req, res) => sendEvents(res, geminiFixture("stream-text.chunks.txt")));
    const stream = await p.chatStream(textRequest, ctx());
    const { chunks, error } = await collect(stream);
    expect(error).toBeUndefined();
    expect(fake?.requests[0]?.url).toBe("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
    expect(fake?.requests[0]?.headers).toMatchObject({ "x-goog-api-key": KEY, accept: "text/event-stream" });
    expect(fake?.requests[0]?.body).toMatchObject({ generationConfig: { maxOutputTokens: 200 } });
    expect(deltas(chunks)).toEqual([
      { index: 0, delta: { role: "assistant", content: "" }, finish_reason: null },
      { index: 0, delta: { content: "The" }, finish_reason: null },
      { index: 0, delta: { content: " quick brown fox jumps over" }, finish_reason: null },
      { index: 0, delta: { content: " the lazy dog, café ☕." }, finish_reason: null },
      { index: 0, delta: {}, finish_reason: "stop" },
    ]);
    expect(chunks[0]).toMatchObject({
      id: "chatcmpl-nf3MaOGqKc2Z1dkPtJbp2Ak",
      object: "chat.completion.chunk",
      model: "gemini-2.5-flash",
    });
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
    expect(stream.delivered.text).toBe("The quick brown fox jumps over the lazy dog, café ☕.");
    expect(stream.usage).toEqual({ inputTokens: 8, cachedInputTokens: 0, outputTokens: 13 + 24 });
    expect(stream.usageSource).toBe("upstream");
    expect(stream.rawUsage).toMatchObject({ candidatesTokenCount: 13, thoughtsTokenCount: 24 });
    expect(stream.upstreamRequestId).toBe("nf3MaOGqKc2Z1dkPtJbp2Ak");
  });

  it("function calls: one tool_calls delta with indexed calls, finish_reason tool_calls", async () => {
    const p = await providerAnswering((_req, res) => sendEvents(res, geminiFixture("stream-function-call.chunks.txt")));
    const stream = await p.chatStream(
      {
        model: "gemini-2.5-flash",
        messages: [{ role: "user", content: "Weather and time in Oslo?" }],
        tools: [weatherTool],
      },
      ctx(),
    );
    const { chunks, error } = await collect(stream);
    expect(error).toBeUndefined();
    expect(deltas(chunks)).toEqual([
      { index: 0, delta: { role: "assistant", content: "" }, finish_reason: null },
      {
        index: 0,
        delta: {
          tool_calls: [
            {
              index: 0,
              id: expect.stringMatching(/^call_/) as unknown,
              type: "function",
              function: { name: "get_weather", arguments: '{"location":"Oslo","unit":"celsius"}' },
              extra_content: { google: { thought_signature: "CiQBVKhc7kZq2lB7n3yR0v+J8w==" } },
            },
            {
              index: 1,
              id: expect.stringMatching(/^call_/) as unknown,
              type: "function",
              function: { name: "get_time", arguments: '{"timezone":"Europe/Oslo"}' },
            },
          ],
        },
        finish_reason: null,
      },
      { index: 0, delta: {}, finish_reason: "tool_calls" },
    ]);
    expect(stream.usage).toEqual({ inputTokens: 64, cachedInputTokens: 0, outputTokens: 22 + 54 });
    expect(fake?.requests[0]?.body).toMatchObject({
      tools: [
        {
          functionDeclarations: [
            {
              name: "get_weather",
              parameters: {
                type: "object",
                properties: { location: { type: "string" }, unit: { type: "string", nullable: true } },
                required: ["location"],
              },
            },
          ],
        },
      ],
    });
    expect(stream.warnings).toEqual([
      {
        type: "unsupported-setting",
        setting: "tools[0].function.parameters",
        details: "Dropped schema keywords: additionalProperties.",
      },
    ]);
  });

  it("a stream cut midway: what arrived is yielded, then stream_interrupted; usage estimated from the delivered text", async () => {
    const p = await providerAnswering((_req, res) => sendEvents(res, geminiFixture("stream-cut.chunks.txt"), true));
    const stream = await p.chatStream(textRequest, ctx());
    const { chunks, error } = await collect(stream);
    expect(deltas(chunks).map((d) => d.delta)).toEqual([
      { role: "assistant", content: "" },
      { content: "The" },
      { content: " quick brown fox jumps over" },
    ]);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: "stream_interrupted", retryable: false });
    expectNoKey(error);
    expect(stream.delivered.text).toBe("The quick brown fox jumps over");
    // Gemini's fragments carried no output count yet: 0 output while text was delivered is not trusted.
    expect(stream.usageSource).toBe("estimated");
    expect(stream.usage).toEqual({
      inputTokens: countChatPromptTokens(textRequest.messages),
      cachedInputTokens: 0,
      outputTokens: countTextTokens("The quick brown fox jumps over"),
    });
  });

  it("a stream that ends cleanly without a finishReason is interrupted too", async () => {
    const p = await providerAnswering((_req, res) => sendEvents(res, geminiFixture("stream-cut.chunks.txt")));
    const { chunks, error } = await collect(await p.chatStream(textRequest, ctx()));
    expect(chunks).toHaveLength(3);
    expect(error).toMatchObject({ kind: "stream_interrupted", retryable: false });
  });

  it("an error event mid-stream → stream_error with the key redacted", async () => {
    const first = geminiFixture("stream-text.chunks.txt").split("\r\n\r\n")[0] as string;
    const errorEvent = JSON.stringify({
      error: { code: 503, message: `overloaded for ${KEY}`, status: "UNAVAILABLE" },
    });
    const p = await providerAnswering((_req, res) => sendEvents(res, `${first}\r\n\r\ndata: ${errorEvent}\r\n\r\n`));
    const { chunks, error } = await collect(await p.chatStream(textRequest, ctx()));
    expect(chunks).toHaveLength(2);
    expect(error).toMatchObject({ kind: "stream_error", retryable: false, upstreamCode: "UNAVAILABLE" });
    expect((error as ProviderError).rawBody).toContain("[REDACTED]");
    expectNoKey(error);
  });

  it("a blocked prompt streams a role chunk and a content_filter finish", async () => {
    const blocked = JSON.stringify(JSON.parse(geminiFixture("prompt-blocked.json")));
    const p = await providerAnswering((_req, res) => sendEvents(res, `data: ${blocked}\r\n\r\n`));
    const stream = await p.chatStream(textRequest, ctx());
    const { chunks, error } = await collect(stream);
    expect(error).toBeUndefined();
    expect(deltas(chunks)).toEqual([
      { index: 0, delta: { role: "assistant", content: "" }, finish_reason: null },
      { index: 0, delta: {}, finish_reason: "content_filter" },
    ]);
    expect(stream.usage).toEqual({ inputTokens: 9, cachedInputTokens: 0, outputTokens: 0 });
  });

  it("a non-SSE 200 answer to a stream → invalid_response", async () => {
    const p = await providerAnswering((_req, res) => sendJson(res, 200, geminiFixture("generate-content-text.json")));
    await expect(p.chatStream(textRequest, ctx())).rejects.toMatchObject({ kind: "invalid_response" });
  });
});
