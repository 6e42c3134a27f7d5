import { getEventListeners } from "node:events";
import { inspect } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ProviderError } from "../errors/provider-error.js";
import { UpstreamPools } from "../http/upstream-pools.js";
import { DEFAULT_MOCK_BEHAVIOR } from "../mock/mock-behavior.js";
import { startMockUpstream, type MockUpstream } from "../mock/start-mock-upstream.js";
import type { ChatContext, ChatStream } from "../spec/chat-provider.js";
import type { ChatCompletionChunk, ChatRequest } from "../spec/chat-wire.js";
import { countChatPromptTokens, countTextTokens } from "../tokens/count-tokens.js";
import { createOpenAICompatibleProvider, type OpenAICompatibleProvider } from "./create-openai-compatible-provider.js";

const KEY = "sk-test-0123456789abcdef";
let mock: MockUpstream;
let pools: UpstreamPools;
let provider: OpenAICompatibleProvider;

beforeAll(async () => {
  mock = await startMockUpstream({ apiKey: KEY });
  pools = new UpstreamPools();
  provider = createOpenAICompatibleProvider({
    id: "mock",
    baseUrl: `${mock.url}/v1`,
    apiKey: KEY,
    pools,
    headersTimeoutMs: 2_000,
    bodyTimeoutMs: 2_000,
  });
});
afterAll(async () => {
  await pools.close();
  await mock.close();
});
beforeEach(() => {
  mock.setBehavior(DEFAULT_MOCK_BEHAVIOR);
  mock.resetCalls();
});

const messages = [
  { role: "system", content: "Be brief." },
  { role: "user", content: "Tell me about rivers." },
];
const request: ChatRequest = { model: "mock-mini", messages, temperature: 0.2, metadata: { passthrough: true } };
const promptTokens = countChatPromptTokens(messages);

function ctx(signal: AbortSignal = new AbortController().signal): ChatContext {
  return { signal, requestId: "req_abc123" };
}

async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

/** Drains a stream; returns the chunks and the error it ended with, if any. */
async function drain(stream: ChatStream, stopAfter = Infinity, onChunk?: (n: number) => void) {
  const chunks: ChatCompletionChunk[] = [];
  let error: ProviderError | undefined;
  try {
    for await (const chunk of stream) {
      chunks.push(chunk);
      onChunk?.(chunks.length);
      if (chunks.length >= stopAfter) break;
    }
  } catch (e) {
    expect(e).toBeInstanceOf(ProviderError);
    error = e as ProviderError;
  }
  return { chunks, error };
}

function expectNoKey(error: ProviderError): void {
  for (const text of [error.message, error.rawBody ?? "", JSON.stringify(error), inspect(error, { depth: 5 })]) {
    expect(text).not.toContain(KEY);
    expect(text).not.toContain(KEY.slice(0, 12));
  }
}

describe("chat (non-streaming) against the mock", () => {
  it("returns the upstream body and its usage, and forwards the request as sent", async () => {
    const result = await provider.chat({ ...request, stream: true, stream_options: { include_usage: true } }, ctx());
    expect(result.body).toMatchObject({ object: "chat.completion", model: "mock-mini" });
    expect(result.usageSource).toBe("upstream");
    expect(result.usage).toEqual({
      inputTokens: promptTokens,
      cachedInputTokens: 0,
      outputTokens: DEFAULT_MOCK_BEHAVIOR.replyTokens,
    });
    expect(result.rawUsage).toMatchObject({ prompt_tokens: promptTokens });
    expect(result.upstreamRequestId).toMatch(/^req_mock_\d+$/);
    expect(mock.calls.lastBody).toEqual({ ...request, stream: false });
    expect(mock.calls.lastHeaders).toMatchObject({
      authorization: `Bearer ${KEY}`,
      "x-client-request-id": "req_abc123",
      "content-type": "application/json",
    });
  });

  it("normalizes cached tokens", async () => {
    mock.setBehavior({ cachedTokens: 5 });
    const result = await provider.chat(request, ctx());
    expect(result.usage.cachedInputTokens).toBe(5);
  });

  it("http_500 → retryable ProviderError with the body kept for logs only", async () => {
    mock.setBehavior({ failure: "http_500" });
    const error = await rejection(provider.chat(request, ctx()));
    expect(error).toMatchObject({ kind: "http", status: 500, retryable: true, upstreamType: "server_error" });
    expect(error.rawBody).toContain("The server had an error");
    expect(error.message).toBe('Upstream "mock" returned HTTP 500.');
  });

  it("http_429 → retryable with Retry-After", async () => {
    mock.setBehavior({ failure: "http_429", retryAfterSeconds: 7 });
    const error = await rejection(provider.chat(request, ctx()));
    expect(error).toMatchObject({
      kind: "http",
      status: 429,
      retryable: true,
      retryAfterSeconds: 7,
      upstreamCode: "rate_limit_exceeded",
    });
  });

  it("mid_stream (body cut) → retryable connection error", async () => {
    mock.setBehavior({ failure: "mid_stream" });
    const error = await rejection(provider.chat(request, ctx()));
    expect(error).toMatchObject({ kind: "connection", retryable: true, status: undefined });
  });

  it("omit_usage → usage estimated locally, equal to the real counts", async () => {
    mock.setBehavior({ failure: "omit_usage" });
    const result = await provider.chat(request, ctx());
    expect(result.rawUsage).toBeUndefined();
    expect(result.usageSource).toBe("estimated");
    expect(result.usage).toEqual({
      inputTokens: promptTokens,
      cachedInputTokens: 0,
      outputTokens: DEFAULT_MOCK_BEHAVIOR.replyTokens,
    });
  });

  it("hang → timeout after headersTimeoutMs", async () => {
    mock.setBehavior({ failure: "hang" });
    const quick = createOpenAICompatibleProvider({
      id: "mock",
      baseUrl: `${mock.url}/v1`,
      apiKey: KEY,
      pools,
      headersTimeoutMs: 150,
    });
    const error = await rejection(quick.chat(request, ctx()));
    expect(error).toMatchObject({ kind: "timeout", retryable: true });
    await expect.poll(() => mock.calls.clientAborts).toBe(1);
  });

  it("hang → timeout after requestTimeoutMs", async () => {
    mock.setBehavior({ failure: "hang" });
    const quick = createOpenAICompatibleProvider({
      id: "mock",
      baseUrl: `${mock.url}/v1`,
      apiKey: KEY,
      pools,
      requestTimeoutMs: 150,
    });
    const error = await rejection(quick.chat(request, ctx()));
    expect(error).toMatchObject({ kind: "timeout", retryable: true });
  });

  it("the caller's signal aborts a call in flight", async () => {
    mock.setBehavior({ failure: "hang" });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await rejection(provider.chat(request, ctx(controller.signal)));
    expect(error).toMatchObject({ kind: "aborted", retryable: false });
    await expect.poll(() => mock.calls.clientAborts).toBe(1);
  });

  it("an already aborted signal sends nothing", async () => {
    const error = await rejection(provider.chat(request, ctx(AbortSignal.abort())));
    expect(error.kind).toBe("aborted");
    const streamError = await rejection(provider.chatStream(request, ctx(AbortSignal.abort())));
    expect(streamError.kind).toBe("aborted");
    expect(mock.calls.count).toBe(0);
  });

  it("a refused connection → retryable connection error", async () => {
    const closed = await startMockUpstream();
    const url = closed.url;
    await closed.close();
    const dead = createOpenAICompatibleProvider({ id: "dead", baseUrl: `${url}/v1`, pools });
    const error = await rejection(dead.chat(request, ctx()));
    expect(error).toMatchObject({ kind: "connection", retryable: true, providerId: "dead" });
    expect(error.message).toContain("ECONNREFUSED");
  });

  it("never lets the key out, even when the upstream echoes it", async () => {
    const wrongKey = "sk-wrong-key-0123456789";
    const wrong = createOpenAICompatibleProvider({ id: "mock", baseUrl: `${mock.url}/v1`, apiKey: wrongKey, pools });
    const error = await rejection(wrong.chat(request, ctx()));
    expect(error).toMatchObject({ status: 401, retryable: false, upstreamCode: "invalid_api_key" });
    expect(error.rawBody).toContain("[REDACTED]");
    for (const text of [error.message, error.rawBody ?? "", JSON.stringify(error), inspect(error, { depth: 5 })]) {
      expect(text).not.toContain(wrongKey);
    }
    expect(inspect(wrong, { depth: 5, showHidden: true })).not.toContain(wrongKey);
    expectNoKey(await rejection(provider.chat(request, ctx(AbortSignal.abort()))));
  });

  it("validates its options without echoing the key", () => {
    const bad = "sk bad\nkey";
    expect(() => createOpenAICompatibleProvider({ id: "x", baseUrl: "ftp://a", pools })).toThrow(/http or https/);
    expect(() => createOpenAICompatibleProvider({ id: "x", baseUrl: "https://u:p@a/v1", pools })).toThrow(
      /credentials/,
    );
    expect(() =>
      createOpenAICompatibleProvider({ id: "x", baseUrl: "https://a/v1", headersTimeoutMs: 0, pools }),
    ).toThrow(/headersTimeoutMs/);
    let message = "";
    try {
      createOpenAICompatibleProvider({ id: "x", baseUrl: "https://a/v1", apiKey: bad, pools });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/apiKey/);
    expect(message).not.toContain("bad");
  });
});

describe("chatStream against the mock", () => {
  it("yields every chunk with choices, keeps the usage chunk, and always asks for usage", async () => {
    mock.setBehavior({ chunkCount: 5 });
    const stream = await provider.chatStream(request, ctx());
    const { chunks, error } = await drain(stream);
    expect(error).toBeUndefined();
    expect(chunks).toHaveLength(1 + 5 + 1);
    expect(chunks.every((chunk) => chunk.choices.length === 1)).toBe(true);
    expect(mock.calls.lastBody).toEqual({ ...request, stream: true, stream_options: { include_usage: true } });
    expect(stream.usageSource).toBe("upstream");
    expect(stream.usage).toEqual({
      inputTokens: promptTokens,
      cachedInputTokens: 0,
      outputTokens: DEFAULT_MOCK_BEHAVIOR.replyTokens,
    });
    expect(stream.rawUsage).toMatchObject({ completion_tokens: DEFAULT_MOCK_BEHAVIOR.replyTokens });
    const reference = await provider.chat(request, ctx());
    const message = (reference.body.choices[0] as { message: { content: string } }).message;
    expect(stream.delivered.text).toBe(message.content);
    expect(stream.delivered.chunks).toBe(7);
    expect(stream.upstreamRequestId).toMatch(/^req_mock_/);
  });

  it("keeps the client's other stream_options", async () => {
    const stream = await provider.chatStream(
      { ...request, stream_options: { include_usage: false, include_obfuscation: false } },
      ctx(),
    );
    await drain(stream);
    expect(mock.calls.lastBody).toMatchObject({ stream_options: { include_usage: true, include_obfuscation: false } });
  });

  it("reuses the keep-alive connection after a complete stream", async () => {
    const own = new UpstreamPools();
    let connects = 0;
    own.get(new URL(mock.url).origin).on("connect", () => (connects += 1));
    const reusing = createOpenAICompatibleProvider({ id: "mock", baseUrl: `${mock.url}/v1`, apiKey: KEY, pools: own });
    for (let i = 0; i < 6; i++) await drain(await reusing.chatStream(request, ctx()));
    await reusing.chat(request, ctx());
    // undici may open a second connection when a request follows a body's end
    // within the same tick; a stream that destroyed its socket would need 7.
    expect(connects).toBeLessThanOrEqual(2);
    expect(mock.calls.clientAborts).toBe(0);
    await own.close();
  });

  it("http_500 and http_429 reject before any chunk", async () => {
    mock.setBehavior({ failure: "http_500" });
    expect(await rejection(provider.chatStream(request, ctx()))).toMatchObject({ status: 500, retryable: true });
    mock.setBehavior({ failure: "http_429", retryAfterSeconds: 3 });
    expect(await rejection(provider.chatStream(request, ctx()))).toMatchObject({ status: 429, retryAfterSeconds: 3 });
  });

  it("mid_stream → the chunks received, then stream_interrupted, billed on what was delivered", async () => {
    mock.setBehavior({ failure: "mid_stream", chunkCount: 6 });
    const stream = await provider.chatStream(request, ctx());
    const { chunks, error } = await drain(stream);
    expect(chunks).toHaveLength(1 + 3);
    expect(error).toMatchObject({ kind: "stream_interrupted", retryable: false });
    expect(stream.delivered.chunks).toBe(4);
    expect(stream.delivered.text.startsWith("Mock")).toBe(true);
    expect(stream.usageSource).toBe("estimated");
    expect(stream.usage.outputTokens).toBe(countTextTokens(stream.delivered.text));
    expect(stream.usage.outputTokens).toBe(DEFAULT_MOCK_BEHAVIOR.replyTokens / 2);
    expect(stream.usage.inputTokens).toBe(promptTokens);
  });

  it("omit_usage → completes, usage estimated from the prompt and the delivered text", async () => {
    mock.setBehavior({ failure: "omit_usage" });
    const stream = await provider.chatStream(request, ctx());
    const { error } = await drain(stream);
    expect(error).toBeUndefined();
    expect(stream.rawUsage).toBeUndefined();
    expect(stream.usageSource).toBe("estimated");
    expect(stream.usage).toEqual({
      inputTokens: promptTokens,
      cachedInputTokens: 0,
      outputTokens: DEFAULT_MOCK_BEHAVIOR.replyTokens,
    });
  });

  it("hang → timeout before the stream starts", async () => {
    mock.setBehavior({ failure: "hang" });
    const quick = createOpenAICompatibleProvider({
      id: "mock",
      baseUrl: `${mock.url}/v1`,
      apiKey: KEY,
      pools,
      headersTimeoutMs: 150,
    });
    expect(await rejection(quick.chatStream(request, ctx()))).toMatchObject({ kind: "timeout", retryable: true });
  });

  it("a body stalled longer than bodyTimeoutMs → timeout after the chunks received, not retryable", async () => {
    // undici checks header/body timeouts on a ~1 s tick, so the stall must be longer than that.
    mock.setBehavior({ chunkCount: 4, chunkDelayMs: 2_500 });
    const quick = createOpenAICompatibleProvider({
      id: "mock",
      baseUrl: `${mock.url}/v1`,
      apiKey: KEY,
      pools,
      bodyTimeoutMs: 200,
    });
    const stream = await quick.chatStream(request, ctx());
    const { chunks, error } = await drain(stream);
    expect(chunks).toHaveLength(1);
    expect(error).toMatchObject({ kind: "timeout", retryable: false });
  });

  it("the caller's signal mid-stream closes the upstream request and ends with aborted", async () => {
    mock.setBehavior({ chunkCount: 20, chunkDelayMs: 20 });
    const controller = new AbortController();
    const stream = await provider.chatStream(request, ctx(controller.signal));
    const { chunks, error } = await drain(stream, Infinity, (n) => n === 3 && controller.abort());
    expect(chunks).toHaveLength(3);
    expect(error).toMatchObject({ kind: "aborted", retryable: false });
    await expect.poll(() => mock.calls.clientAborts).toBe(1);
    expect(stream.usageSource).toBe("estimated");
    expect(stream.usage.outputTokens).toBe(countTextTokens(stream.delivered.text));
    expect(stream.usage.outputTokens).toBeGreaterThan(0);
  });

  it("a consumer breaking out of the loop closes the upstream request", async () => {
    mock.setBehavior({ chunkCount: 20, chunkDelayMs: 20 });
    const stream = await provider.chatStream(request, ctx());
    const { chunks, error } = await drain(stream, 2);
    expect(chunks).toHaveLength(2);
    expect(error).toBeUndefined();
    await expect.poll(() => mock.calls.clientAborts).toBe(1);
    expect(stream.delivered.chunks).toBe(2);
  });

  it("cancel() before iterating closes the upstream request; iterating then fails as aborted", async () => {
    mock.setBehavior({ chunkCount: 20, chunkDelayMs: 20 });
    const stream = await provider.chatStream(request, ctx());
    stream.cancel();
    stream.cancel();
    await expect.poll(() => mock.calls.clientAborts).toBe(1);
    const { chunks, error } = await drain(stream);
    expect(chunks).toHaveLength(0);
    expect(error?.kind).toBe("aborted");
    expect(stream.usage.outputTokens).toBe(0);
  });

  it("leaves no listener on the caller's signal, whatever the outcome", async () => {
    const signal = new AbortController().signal;
    await provider.chat(request, ctx(signal));
    await drain(await provider.chatStream(request, ctx(signal)));
    await drain(await provider.chatStream(request, ctx(signal)), 1);
    (await provider.chatStream(request, ctx(signal))).cancel();
    mock.setBehavior({ failure: "mid_stream" });
    await drain(await provider.chatStream(request, ctx(signal)));
    await rejection(provider.chat(request, ctx(signal)));
    mock.setBehavior({ failure: "http_500" });
    await rejection(provider.chatStream(request, ctx(signal)));
    expect(getEventListeners(signal, "abort")).toHaveLength(0);
  });

  it("can be iterated only once", async () => {
    const stream = await provider.chatStream(request, ctx());
    await drain(stream);
    expect(() => stream[Symbol.asyncIterator]()).toThrow(/once/);
  });
});
