import { createTestDatabase, type TestDatabase } from "@modelfaucet/db/testing";
import { MOCK_EMBEDDING_DIMENSIONS, countEmbeddingInputTokens, mockVector } from "@modelfaucet/providers";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startRevenueStack, units, type RevenueStack } from "./helpers/revenue-stack.js";

let database: TestDatabase;
let stack: RevenueStack;
beforeAll(async () => {
  database = await createTestDatabase();
  stack = await startRevenueStack(database.db);
});
afterAll(async () => {
  await stack.close();
  await database.db.close();
});
beforeEach(() => {
  stack.mock.setBehavior({ failure: "none", latencyMs: 0 });
  stack.mock.resetCalls();
});

type Block = { modelfaucet: { price_usd: string; request_id: string; route_mode: string; model: string } };

const texts = ["The river runs to the sea.", "Mountains keep their snow."];

describe("POST /v1/embeddings through the official openai client", () => {
  it("answers the default (base64) encoding with the mock's vectors, and bills exactly the input tokens", async () => {
    const { token } = await stack.user("embed-1", "1.00");
    const { data: result, response } = await stack
      .client(token)
      .embeddings.create({ model: "mock-embed", input: texts })
      .withResponse();
    expect(stack.mock.calls.lastBody).toMatchObject({
      encoding_format: "base64",
      model: "mock-embed",
    });
    expect(result.object).toBe("list");
    expect(result.data).toHaveLength(2);
    result.data.forEach((item, index) => {
      expect(item).toMatchObject({ object: "embedding", index });
      // The client decoded base64 into numbers: exactly the mock's float32 vector.
      expect(item.embedding).toEqual(Array.from(mockVector(texts[index]!, MOCK_EMBEDDING_DIMENSIONS)));
    });
    const tokens = countEmbeddingInputTokens(texts);
    const block = (result as unknown as Block).modelfaucet;
    expect(result.usage).toEqual({ prompt_tokens: tokens, total_tokens: tokens, cost: Number(block.price_usd) });
    const requestId = response.headers.get("x-request-id")!;
    expect(block).toMatchObject({ request_id: requestId, route_mode: "platform", model: "mock-embed" });
    expect(units(block.price_usd)).toBeGreaterThan(0n);
    const after = await stack.wallet(token);
    expect(after.held_usd).toBe("0.00000000");
    expect(units("1.00000000") - units(after.balance_usd)).toBe(units(block.price_usd));
    const [event] = await stack.usageOf(requestId);
    expect(event).toMatchObject({ input_tokens: tokens, output_tokens: 0, outcome: "completed", stream: false });
    expect(await stack.reconciled()).toBe(true);
  });

  it("answers the float encoding and honours dimensions", async () => {
    const { token } = await stack.user("embed-2", "1.00");
    const result = await stack.client(token).embeddings.create({
      model: "mock-embed",
      input: "one line",
      encoding_format: "float",
      dimensions: 4,
    });
    expect(result.data[0]!.embedding).toEqual(Array.from(mockVector("one line", 4)));
    expect(stack.mock.calls.lastBody).toMatchObject({ encoding_format: "float", dimensions: 4 });
    expect(await stack.reconciled()).toBe(true);
  });

  it("takes token arrays", async () => {
    const { token } = await stack.user("embed-3", "1.00");
    const result = await stack.client(token).embeddings.create({
      model: "mock-embed",
      input: [
        [1, 2, 3],
        [4, 5],
      ],
    });
    expect(result.data).toHaveLength(2);
    expect(result.usage.prompt_tokens).toBe(5);
  });

  it("answers 402 insufficient_balance without calling upstream", async () => {
    const { token } = await stack.user("embed-4");
    const error = await stack
      .client(token)
      .embeddings.create({ model: "mock-embed", input: "hello" })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(402);
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe("insufficient_balance");
    expect(stack.mock.calls.count).toBe(0);
  });

  it("refuses unknown models, chat models and empty input with 400", async () => {
    const { token } = await stack.user("embed-5", "1.00");
    for (const body of [
      { model: "no-such-model", input: "hello" },
      { model: "mock-small", input: "hello" },
      { model: "mock-embed", input: "" },
      { model: "mock-embed", input: [] as string[] },
    ]) {
      await expect(stack.client(token).embeddings.create(body)).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    }
    expect(stack.mock.calls.count).toBe(0);
    expect(await stack.wallet(token)).toMatchObject({ balance_usd: "1.00000000", held_usd: "0.00000000" });
  });

  it("releases the hold and answers 502 when upstream fails", async () => {
    const { token } = await stack.user("embed-6", "1.00");
    stack.mock.setBehavior({ failure: "http_500" });
    const error = await stack
      .client(token)
      .embeddings.create({ model: "mock-embed", input: "hello" })
      .catch((caught: unknown) => caught);
    expect((error as { status?: number }).status).toBe(502);
    expect(await stack.wallet(token)).toMatchObject({ balance_usd: "1.00000000", held_usd: "0.00000000" });
    expect(await stack.reconciled()).toBe(true);
  });
});
