import { afterEach, describe, expect, it } from "vitest";
import { isProviderError } from "../errors/provider-error.js";
import { startScriptedUpstream, type ScriptedUpstream } from "../testing/scripted-upstream.js";
import { createOpenAIResponsesProvider } from "./create-openai-responses-provider.js";

const ctx = { signal: new AbortController().signal, requestId: "req_test" };
let upstream: ScriptedUpstream | undefined;
afterEach(async () => upstream?.close());

const usage = { input_tokens: 12, input_tokens_details: { cached_tokens: 4 }, output_tokens: 3, total_tokens: 15 };

function sse(events: Array<Record<string, unknown>>): string {
  const text = events.map((event) => `event: ${String(event.type)}\ndata: ${JSON.stringify(event)}\n\n`).join("");
  return text;
}

describe("createOpenAIResponsesProvider", () => {
  it("passes a request through and reads usage", async () => {
    upstream = await startScriptedUpstream((_request, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ id: "resp_1", object: "response", output_text: "hi", usage }));
    });
    const provider = createOpenAIResponsesProvider({
      id: "openai",
      baseUrl: upstream.baseUrl,
      apiKey: "sk-test-123456",
    });
    const result = await provider.create({ model: "gpt-4o", input: "hello", store: false }, ctx);
    expect(upstream.requests[0]!.body).toEqual({ model: "gpt-4o", input: "hello", store: false, stream: false });
    expect(upstream.requests[0]!.headers.authorization).toBe("Bearer sk-test-123456");
    expect(result.body).toMatchObject({ id: "resp_1" });
    expect(result.usage).toEqual({ inputTokens: 12, cachedInputTokens: 4, outputTokens: 3 });
    await provider.close();
  });

  it("relays stream events and takes usage from the terminal event", async () => {
    const events = [
      { type: "response.created", sequence_number: 0, response: {} },
      { type: "response.output_text.delta", sequence_number: 1, delta: "Hel" },
      { type: "response.output_text.delta", sequence_number: 2, delta: "lo" },
      { type: "response.completed", sequence_number: 3, response: { usage } },
    ];
    upstream = await startScriptedUpstream((_request, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end(sse(events));
    });
    const provider = createOpenAIResponsesProvider({ id: "openai", baseUrl: upstream.baseUrl });
    const stream = await provider.stream({ model: "gpt-4o", input: "hello" }, ctx);
    const seen = [];
    for await (const event of stream) seen.push(event.event);
    expect(seen).toEqual(events.map((event) => event.type));
    expect(stream.deliveredText).toBe("Hello");
    expect(stream.usage).toEqual({ inputTokens: 12, cachedInputTokens: 4, outputTokens: 3 });
    expect(upstream.requests[0]!.body).toMatchObject({ stream: true });
    await provider.close();
  });

  it("throws stream_interrupted after the events it got when the stream ends without a terminal event", async () => {
    upstream = await startScriptedUpstream((_request, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end(sse([{ type: "response.output_text.delta", sequence_number: 0, delta: "Hi" }]));
    });
    const provider = createOpenAIResponsesProvider({ id: "openai", baseUrl: upstream.baseUrl });
    const stream = await provider.stream({ model: "gpt-4o", input: "hello" }, ctx);
    const seen: string[] = [];
    const error = await (async () => {
      for await (const event of stream) seen.push(event.data);
    })().catch((caught: unknown) => caught);
    expect(seen).toHaveLength(1);
    expect(isProviderError(error) && error.kind).toBe("stream_interrupted");
    expect(stream.deliveredText).toBe("Hi");
    await provider.close();
  });

  it("turns a non-2xx answer into a ProviderError with the key redacted", async () => {
    upstream = await startScriptedUpstream((_request, res) => {
      res.writeHead(401, { "content-type": "application/json" });
      res.end(
        JSON.stringify({ error: { message: "Incorrect API key provided: sk-test-123456", code: "invalid_api_key" } }),
      );
    });
    const provider = createOpenAIResponsesProvider({
      id: "openai",
      baseUrl: upstream.baseUrl,
      apiKey: "sk-test-123456",
    });
    const error = await provider.create({ model: "gpt-4o", input: "x" }, ctx).catch((caught: unknown) => caught);
    expect(isProviderError(error) && error.status).toBe(401);
    expect(isProviderError(error) && error.rawBody).not.toContain("sk-test-123456");
    await provider.close();
  });
});
