import { afterEach, describe, expect, it } from "vitest";
import { ProviderError } from "../errors/provider-error.js";
import type { ChatCompletionChunk, ChatRequest } from "../spec/chat-wire.js";
import {
  readFixture,
  sendEventStream,
  startScriptedUpstream,
  type ScriptedUpstream,
} from "../testing/scripted-upstream.js";
import { countChatPromptTokens, countTextTokens } from "../tokens/count-tokens.js";
import { createOpenAICompatibleProvider } from "./create-openai-compatible-provider.js";

// Recorded / hand-made upstream payloads replayed through a local server:
// shapes the mock does not produce.
const fixture = (name: string) => readFixture(new URL(`./__fixtures__/${name}`, import.meta.url));
const SECRET = "sk-scripted-secret";
const request: ChatRequest = { model: "some-model", messages: [{ role: "user", content: "Weather in Oslo?" }] };
const ctx = () => ({ signal: new AbortController().signal, requestId: "req_fixture" });

let upstream: ScriptedUpstream | undefined;
afterEach(async () => {
  await upstream?.close();
  upstream = undefined;
});

async function providerAnswering(answer: Parameters<typeof startScriptedUpstream>[0]) {
  upstream = await startScriptedUpstream(answer);
  return createOpenAICompatibleProvider({ id: "scripted", baseUrl: upstream.baseUrl, apiKey: SECRET });
}

async function collect(stream: AsyncIterable<ChatCompletionChunk>) {
  const chunks: ChatCompletionChunk[] = [];
  let error: unknown;
  try {
    for await (const chunk of stream) chunks.push(chunk);
  } catch (e) {
    error = e;
  }
  return { chunks, error };
}

describe("OpenAI-compatible adapter on recorded payloads", () => {
  it("an OpenAI stream: chunks passed through unchanged, usage taken from the usage chunk", async () => {
    const provider = await providerAnswering((_req, res) => sendEventStream(res, fixture("openai-chat.chunks.txt")));
    const stream = await provider.chatStream(request, ctx());
    const { chunks, error } = await collect(stream);
    expect(error).toBeUndefined();
    expect(chunks.map((chunk) => chunk.obfuscation)).toEqual(["x1", "x2", "x3", "x4"]);
    expect(stream.delivered.text).toBe("Hello there, café ☕!");
    expect(stream.usage).toEqual({ inputTokens: 19, cachedInputTokens: 0, outputTokens: 6 });
    expect(stream.usageSource).toBe("upstream");
    expect(upstream?.requests[0]?.body).toEqual({ ...request, stream: true, stream_options: { include_usage: true } });
    await provider.close();
  });

  it("an error event mid-stream: chunks first, then stream_error with the key redacted", async () => {
    const provider = await providerAnswering((_req, res) =>
      sendEventStream(res, fixture("error-mid-stream.chunks.txt")),
    );
    const stream = await provider.chatStream(request, ctx());
    const { chunks, error } = await collect(stream);
    expect(chunks).toHaveLength(1);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: "stream_error", retryable: false, upstreamCode: "overloaded" });
    const providerError = error as ProviderError;
    expect(providerError.rawBody).toContain("[REDACTED]");
    expect(JSON.stringify(providerError) + providerError.message).not.toContain(SECRET);
    expect(stream.usage.outputTokens).toBe(countTextTokens("Partial"));
    await provider.close();
  });

  it("reasoning + tool calls, no [DONE], zero output usage: completes and estimates what was produced", async () => {
    const provider = await providerAnswering((_req, res) =>
      sendEventStream(res, fixture("reasoning-tools-no-done.chunks.txt")),
    );
    const stream = await provider.chatStream(request, ctx());
    const { chunks, error } = await collect(stream);
    expect(error).toBeUndefined();
    expect(chunks).toHaveLength(3);
    expect(stream.delivered.text).toBe('Think about weather.get_weather{"city":"Oslo"}');
    // Upstream claimed 0 output tokens although text was produced: not trusted.
    expect(stream.usageSource).toBe("estimated");
    expect(stream.usage).toEqual({
      inputTokens: countChatPromptTokens(request.messages),
      cachedInputTokens: 0,
      outputTokens: countTextTokens(stream.delivered.text),
    });
    await provider.close();
  });

  it("a stream that ends cleanly but without [DONE] or finish_reason is interrupted", async () => {
    const provider = await providerAnswering((_req, res) =>
      sendEventStream(res, fixture("openai-chat.chunks.txt").split("\n\n").slice(0, 2).join("\n\n") + "\n\n"),
    );
    const { chunks, error } = await collect(await provider.chatStream(request, ctx()));
    expect(chunks).toHaveLength(2);
    expect(error).toMatchObject({ kind: "stream_interrupted", retryable: false });
    await provider.close();
  });

  it("malformed answers → invalid_response, never a crash", async () => {
    const provider = await providerAnswering((req, res) => {
      const body = req.body as { stream?: boolean };
      if (body.stream) {
        res.writeHead(200, { "content-type": "application/json" });
        res.end('{"error":"streaming not supported"}');
      } else {
        res.writeHead(200, { "content-type": "application/json" });
        res.end("<html>not json</html>");
      }
    });
    expect(await provider.chat(request, ctx()).catch((e: unknown) => e)).toMatchObject({
      kind: "invalid_response",
      rawBody: "<html>not json</html>",
    });
    expect(await provider.chatStream(request, ctx()).catch((e: unknown) => e)).toMatchObject({
      kind: "invalid_response",
    });
    await provider.close();
  });

  it("a non-JSON chunk inside a stream → invalid_response after the good chunks", async () => {
    const good = fixture("openai-chat.chunks.txt").split("\n\n")[0] as string;
    const provider = await providerAnswering((_req, res) => sendEventStream(res, `${good}\n\ndata: {oops\n\n`));
    const { chunks, error } = await collect(await provider.chatStream(request, ctx()));
    expect(chunks).toHaveLength(1);
    expect(error).toMatchObject({ kind: "invalid_response" });
    await provider.close();
  });

  it("refuses a response body over maxResponseBytes", async () => {
    upstream = await startScriptedUpstream((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ choices: [], padding: "x".repeat(5000) }));
    });
    const provider = createOpenAICompatibleProvider({ id: "s", baseUrl: upstream.baseUrl, maxResponseBytes: 1000 });
    expect(await provider.chat(request, ctx()).catch((e: unknown) => e)).toMatchObject({ kind: "invalid_response" });
    await provider.close();
  });
});
