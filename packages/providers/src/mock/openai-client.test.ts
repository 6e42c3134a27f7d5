import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { countChatPromptTokens } from "../tokens/count-tokens.js";
import { DEFAULT_MOCK_BEHAVIOR } from "./mock-behavior.js";
import { startMockUpstream, type MockUpstream } from "./start-mock-upstream.js";

// The official client talking to the mock directly proves the mock's wire format.
let mock: MockUpstream;
let client: OpenAI;
beforeAll(async () => {
  mock = await startMockUpstream();
  client = new OpenAI({ baseURL: `${mock.url}/v1`, apiKey: "x", maxRetries: 0 });
});
afterAll(() => mock.close());
beforeEach(() => mock.setBehavior(DEFAULT_MOCK_BEHAVIOR));

const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: "user", content: "Say hello to the mock." }];

describe("openai v6 client against the mock", () => {
  it("creates a completion", async () => {
    const completion = await client.chat.completions.create({ model: "mock-mini", messages });
    expect(completion.object).toBe("chat.completion");
    expect(completion.choices[0]?.message.content).toMatch(/^Mock /);
    expect(completion.usage).toMatchObject({
      prompt_tokens: countChatPromptTokens(messages),
      completion_tokens: DEFAULT_MOCK_BEHAVIOR.replyTokens,
    });
  });

  it("streams with a final usage chunk", async () => {
    const stream = await client.chat.completions.create({
      model: "mock-mini",
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let usage: OpenAI.CompletionUsage | null | undefined;
    let chunks = 0;
    for await (const chunk of stream) {
      chunks += 1;
      text += chunk.choices[0]?.delta.content ?? "";
      if (chunk.usage) usage = chunk.usage;
    }
    expect(chunks).toBe(DEFAULT_MOCK_BEHAVIOR.chunkCount + 3);
    const completion = await client.chat.completions.create({ model: "mock-mini", messages });
    expect(text).toBe(completion.choices[0]?.message.content);
    expect(usage?.completion_tokens).toBe(DEFAULT_MOCK_BEHAVIOR.replyTokens);
  });

  it("accumulates a stream with the client's helper", async () => {
    const runner = client.chat.completions.stream({ model: "mock-mini", messages, max_completion_tokens: 4 });
    const final = await runner.finalChatCompletion();
    expect(final.choices[0]?.finish_reason).toBe("length");
  });

  it("lists models", async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(["mock-mini", "mock-large"]);
  });

  it("maps the mock's failures to the client's typed errors", async () => {
    mock.setBehavior({ failure: "http_429" });
    await expect(client.chat.completions.create({ model: "m", messages })).rejects.toBeInstanceOf(
      OpenAI.RateLimitError,
    );
    mock.setBehavior({ failure: "http_500" });
    await expect(client.chat.completions.create({ model: "m", messages })).rejects.toBeInstanceOf(
      OpenAI.InternalServerError,
    );
  });
});
