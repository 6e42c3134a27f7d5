import { AppError } from "@modelfaucet/core";
import { afterAll, describe, expect, it } from "vitest";
import { createAnthropicProvider } from "../anthropic/create-anthropic-provider.js";
import { RequestEncodingError } from "../errors/request-encoding-error.js";
import { createOpenAICompatibleProvider } from "../openai-compatible/create-openai-compatible-provider.js";
import { encodeJsonBody } from "./encode-json-body.js";
import { UpstreamPools } from "./upstream-pools.js";

/** 100,000 arrays deep: far past where JSON.stringify overflows the stack (~4,500). */
const deepJson = "[".repeat(100_000) + "]".repeat(100_000);
const ctx = { signal: new AbortController().signal, requestId: "req_encode" };
// Nothing listens on port 1: a call that got as far as connecting would fail with a connection error.
const pools = new UpstreamPools();
afterAll(() => pools.close());

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable("the call succeeded"),
    (error: unknown) => error,
  );
}

describe("encodeJsonBody", () => {
  it("refuses a body too deep to encode as the caller's input (400), and any other failure as ours", () => {
    expect(() => encodeJsonBody("mock", { x: JSON.parse(deepJson) })).toThrow(AppError);
    expect(() => encodeJsonBody("mock", { n: 1n })).toThrow(RequestEncodingError);
    expect(encodeJsonBody("mock", { a: [1, "b"] })).toBe('{"a":[1,"b"]}');
  });
});

describe("a body that cannot be encoded never reaches the network as a provider failure", () => {
  it("OpenAI-compatible: a passed-through field nested too deep", async () => {
    const provider = createOpenAICompatibleProvider({ id: "dead", baseUrl: "http://127.0.0.1:1/v1", pools });
    const request = { model: "m", messages: [{ role: "user", content: "hi" }], extra: JSON.parse(deepJson) };
    const error = await failureOf(provider.chat(request, ctx));
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("invalid_request");
    expect(await failureOf(provider.chatStream(request, ctx))).toBeInstanceOf(AppError);
  });

  it("Anthropic: tool-call arguments whose JSON text nests too deep once parsed", async () => {
    const provider = createAnthropicProvider({ apiKey: "sk-ant-x", baseUrl: "http://127.0.0.1:1", pools });
    const messages = [
      { role: "user", content: "hi" },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "c1", type: "function", function: { name: "f", arguments: `{"a":${deepJson}}` } }],
      },
      { role: "tool", tool_call_id: "c1", content: "ok" },
    ];
    const error = await failureOf(provider.chat({ model: "claude", messages, max_tokens: 10 }, ctx));
    expect(error).toBeInstanceOf(AppError);
  });
});
