import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isProviderError } from "../errors/provider-error.js";
import { MOCK_EMBEDDING_DIMENSIONS, mockVector } from "../mock/mock-embeddings.js";
import { startMockUpstream, type MockUpstream } from "../mock/start-mock-upstream.js";
import { countEmbeddingInputTokens } from "./count-embedding-input-tokens.js";
import { createOpenAICompatibleEmbeddingProvider } from "./create-openai-compatible-embedding-provider.js";

const ctx = { signal: new AbortController().signal, requestId: "req_test" };
let mock: MockUpstream;
beforeAll(async () => {
  mock = await startMockUpstream();
});
afterAll(async () => mock.close());

const decode = (base64: string) => {
  const bytes = Buffer.from(base64, "base64");
  return Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));
};

describe("createOpenAICompatibleEmbeddingProvider against the mock", () => {
  it("returns float and base64 vectors that decode to the same numbers, with upstream usage", async () => {
    const provider = createOpenAICompatibleEmbeddingProvider({ id: "mock", baseUrl: `${mock.url}/v1` });
    const float = await provider.embed({ model: "mock-embed", input: ["a b c"], encoding_format: "float" }, ctx);
    const base64 = await provider.embed({ model: "mock-embed", input: ["a b c"], encoding_format: "base64" }, ctx);
    const expected = Array.from(mockVector("a b c", MOCK_EMBEDDING_DIMENSIONS));
    expect((float.body.data[0] as { embedding: number[] }).embedding).toEqual(expected);
    expect(decode((base64.body.data[0] as { embedding: string }).embedding)).toEqual(expected);
    expect(float).toMatchObject({ inputTokens: countEmbeddingInputTokens(["a b c"]), usageSource: "upstream" });
    await provider.close();
  });

  it("turns the mock's refusals into ProviderErrors", async () => {
    const provider = createOpenAICompatibleEmbeddingProvider({ id: "mock", baseUrl: `${mock.url}/v1` });
    const bad = await provider.embed({ model: "mock-embed", input: "" }, ctx).catch((caught: unknown) => caught);
    expect(isProviderError(bad) && bad.status).toBe(400);
    mock.setBehavior({ failure: "http_429", retryAfterSeconds: 3 });
    const limited = await provider.embed({ model: "mock-embed", input: "x" }, ctx).catch((caught: unknown) => caught);
    expect(isProviderError(limited) && [limited.status, limited.retryAfterSeconds]).toEqual([429, 3]);
    mock.setBehavior({ failure: "none" });
    await provider.close();
  });
});
