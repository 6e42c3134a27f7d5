import { request } from "undici";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseSse } from "../sse/parse-sse.js";
import { countChatPromptTokens, countTextTokens } from "../tokens/count-tokens.js";
import { DEFAULT_MOCK_BEHAVIOR } from "./mock-behavior.js";
import { startMockUpstream, type MockUpstream } from "./start-mock-upstream.js";

let mock: MockUpstream;
beforeAll(async () => {
  mock = await startMockUpstream({ apiKey: "sk-mock-secret" });
});
afterAll(() => mock.close());
beforeEach(() => {
  mock.setBehavior(DEFAULT_MOCK_BEHAVIOR);
  mock.resetCalls();
});

const AUTH = { authorization: "Bearer sk-mock-secret", "content-type": "application/json" };
const messages = [
  { role: "system", content: "Be brief." },
  { role: "user", content: "How many words are in this sentence?" },
];

async function post(body: unknown, headers: Record<string, string> = AUTH) {
  const res = await request(`${mock.url}/v1/chat/completions`, {
    method: "POST",
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
}

async function postStream(body: object) {
  const res = await request(`${mock.url}/v1/chat/completions`, {
    method: "POST",
    headers: AUTH,
    body: JSON.stringify({ ...body, stream: true }),
  });
  const events: string[] = [];
  for await (const event of parseSse(res.body)) events.push(event.data);
  return { status: res.statusCode, headers: res.headers, events };
}

describe("mock upstream: chat completions", () => {
  it("answers deterministically with real usage counts", async () => {
    const first = await post({ model: "mock-mini", messages });
    const second = await post({ model: "mock-mini", messages });
    expect(first.status).toBe(200);
    const body = JSON.parse(first.text);
    expect(body).toMatchObject({ object: "chat.completion", model: "mock-mini" });
    const content: string = body.choices[0].message.content;
    expect(content.startsWith("Mock ")).toBe(true);
    expect(JSON.parse(second.text).choices[0].message.content).toBe(content);
    expect(body.choices[0].finish_reason).toBe("stop");
    expect(body.usage).toMatchObject({
      prompt_tokens: countChatPromptTokens(messages),
      completion_tokens: DEFAULT_MOCK_BEHAVIOR.replyTokens,
      total_tokens: countChatPromptTokens(messages) + DEFAULT_MOCK_BEHAVIOR.replyTokens,
      prompt_tokens_details: { cached_tokens: 0 },
    });
    expect(countTextTokens(content)).toBe(DEFAULT_MOCK_BEHAVIOR.replyTokens);
    const other = await post({ model: "mock-mini", messages: [{ role: "user", content: "Something else" }] });
    expect(JSON.parse(other.text).choices[0].message.content).not.toBe(content);
  });

  it("truncates to max_completion_tokens / max_tokens with finish_reason length", async () => {
    const body = JSON.parse((await post({ model: "m", messages, max_completion_tokens: 5 })).text);
    expect(body.usage.completion_tokens).toBe(5);
    expect(countTextTokens(body.choices[0].message.content)).toBe(5);
    expect(body.choices[0].finish_reason).toBe("length");
    const legacy = JSON.parse((await post({ model: "m", messages, max_tokens: 3 })).text);
    expect(legacy.usage.completion_tokens).toBe(3);
  });

  it("reports cached tokens when told to", async () => {
    mock.setBehavior({ cachedTokens: 10 });
    const body = JSON.parse((await post({ model: "m", messages })).text);
    expect(body.usage.prompt_tokens_details.cached_tokens).toBe(10);
  });

  it("streams chunkCount content chunks, a finish chunk, the usage chunk when asked, then [DONE]", async () => {
    mock.setBehavior({ chunkCount: 4 });
    const { status, headers, events } = await postStream({
      model: "m",
      messages,
      stream_options: { include_usage: true },
    });
    expect(status).toBe(200);
    expect(headers["content-type"]).toContain("text/event-stream");
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = events.slice(0, -1).map((data) => JSON.parse(data));
    expect(chunks).toHaveLength(1 + 4 + 1 + 1);
    expect(chunks[0].choices[0].delta.role).toBe("assistant");
    const text = chunks.map((c) => c.choices[0]?.delta?.content ?? "").join("");
    const reference = JSON.parse((await post({ model: "m", messages })).text).choices[0].message.content;
    expect(text).toBe(reference);
    expect(chunks[5].choices[0].finish_reason).toBe("stop");
    expect(chunks[6]).toMatchObject({ choices: [], usage: { completion_tokens: DEFAULT_MOCK_BEHAVIOR.replyTokens } });
  });

  it("sends no usage chunk unless asked", async () => {
    const { events } = await postStream({ model: "m", messages });
    const chunks = events.slice(0, -1).map((data) => JSON.parse(data));
    expect(chunks.every((c) => c.usage === undefined && c.choices.length === 1)).toBe(true);
  });

  it("refuses malformed requests like OpenAI", async () => {
    expect((await post("{nope")).status).toBe(400);
    const noMessages = await post({ model: "m", messages: [] });
    expect(noMessages.status).toBe(400);
    expect(JSON.parse(noMessages.text).error.param).toBe("messages");
    expect((await post({ model: "m", messages, max_tokens: 0 })).status).toBe(400);
  });

  it("refuses a wrong key and quotes it back, as OpenAI does", async () => {
    const res = await post({ model: "m", messages }, { authorization: "Bearer sk-wrong-1234" });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.text).error).toMatchObject({ code: "invalid_api_key" });
    expect(res.text).toContain("sk-wrong-1234");
  });

  it("lists models and answers 404 / 405 elsewhere", async () => {
    const models = await request(`${mock.url}/v1/models`, { headers: AUTH });
    expect(await models.body.json()).toMatchObject({
      object: "list",
      data: [{ id: "mock-mini" }, { id: "mock-large" }],
    });
    expect(
      (await request(`${mock.url}/v1/nope`, { headers: AUTH }).then((r) => r.body.dump().then(() => r))).statusCode,
    ).toBe(404);
    const get = await request(`${mock.url}/v1/chat/completions`, { headers: AUTH });
    await get.body.dump();
    expect(get.statusCode).toBe(405);
  });

  it("records calls", async () => {
    await post({ model: "m", messages, extra_field: 1 });
    expect(mock.calls.count).toBe(1);
    expect(mock.calls.lastBody).toMatchObject({ model: "m", extra_field: 1 });
    expect(mock.calls.lastHeaders?.authorization).toBe("Bearer sk-mock-secret");
  });
});

describe("mock upstream: behaviour", () => {
  it("validates behaviour changes without clamping", () => {
    expect(() => mock.setBehavior({ chunkCount: 0 })).toThrow(/chunkCount/);
    expect(() => mock.setBehavior({ latencyMs: -1 })).toThrow(/latencyMs/);
    expect(() => mock.setBehavior({ replyTokens: 1.5 })).toThrow(/replyTokens/);
    expect(() => mock.setBehavior({ failure: "explode" as never })).toThrow(/failure/);
    expect(mock.behavior).toEqual(DEFAULT_MOCK_BEHAVIOR);
  });

  it("waits latencyMs before the first byte", async () => {
    mock.setBehavior({ latencyMs: 120 });
    const started = performance.now();
    await post({ model: "m", messages });
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });

  it("holds every answer back until released, however many requests arrive", async () => {
    const release = mock.hold();
    let answered = 0;
    const answers = Array.from({ length: 3 }, () => post({ model: "m", messages }).finally(() => (answered += 1)));
    await expect.poll(() => mock.calls.count).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(answered).toBe(0);
    release();
    expect((await Promise.all(answers)).map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect((await post({ model: "m", messages })).status).toBe(200);
  });

  it("fails with 500 and with 429 + Retry-After", async () => {
    mock.setBehavior({ failure: "http_500" });
    const failed = await post({ model: "m", messages });
    expect(failed.status).toBe(500);
    expect(JSON.parse(failed.text).error.type).toBe("server_error");
    mock.setBehavior({ failure: "http_429", retryAfterSeconds: 7 });
    const limited = await post({ model: "m", messages });
    expect(limited.status).toBe(429);
    expect(limited.headers["retry-after"]).toBe("7");
    expect(JSON.parse(limited.text).error.code).toBe("rate_limit_exceeded");
  });

  it("omits usage everywhere in omit_usage mode", async () => {
    mock.setBehavior({ failure: "omit_usage" });
    expect(JSON.parse((await post({ model: "m", messages })).text).usage).toBeUndefined();
    const { events } = await postStream({ model: "m", messages, stream_options: { include_usage: true } });
    expect(events.some((data) => data.includes('"prompt_tokens"'))).toBe(false);
    expect(events.at(-1)).toBe("[DONE]");
  });

  it("cuts a stream after some chunks in mid_stream mode", async () => {
    mock.setBehavior({ failure: "mid_stream", chunkCount: 6 });
    const res = await request(`${mock.url}/v1/chat/completions`, {
      method: "POST",
      headers: AUTH,
      body: JSON.stringify({ model: "m", messages, stream: true }),
    });
    const events: string[] = [];
    await expect(
      (async () => {
        for await (const event of parseSse(res.body)) events.push(event.data);
      })(),
    ).rejects.toThrow();
    expect(events).toHaveLength(1 + 3);
    expect(events).not.toContain("[DONE]");
    expect(mock.calls.clientAborts).toBe(0);
  });

  it("cuts a JSON body in mid_stream mode", async () => {
    mock.setBehavior({ failure: "mid_stream" });
    await expect(post({ model: "m", messages })).rejects.toThrow();
  });

  it("never answers in hang mode and counts the client giving up", async () => {
    mock.setBehavior({ failure: "hang" });
    await expect(
      request(`${mock.url}/v1/chat/completions`, {
        method: "POST",
        headers: AUTH,
        body: JSON.stringify({ model: "m", messages }),
        signal: AbortSignal.timeout(150),
      }),
    ).rejects.toThrow();
    expect(mock.calls.count).toBe(1);
    await expect.poll(() => mock.calls.clientAborts).toBe(1);
  });

  it("spaces stream chunks by chunkDelayMs", async () => {
    mock.setBehavior({ chunkCount: 4, chunkDelayMs: 40 });
    const started = performance.now();
    const { events } = await postStream({ model: "m", messages });
    expect(events).toHaveLength(7);
    expect(performance.now() - started).toBeGreaterThanOrEqual(5 * 40 - 10);
  });
});
