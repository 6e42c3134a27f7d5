import { createTestDatabase, type TestDatabase } from "@modelfaucet/db/testing";
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
  stack.mock.setBehavior({ failure: "none", latencyMs: 0, chunkDelayMs: 0 });
  stack.mock.resetCalls();
});

type Block = { modelfaucet: { price_usd: string; request_id: string; route_mode: string; model: string } };

describe("POST /v1/responses translated over chat (mock provider)", () => {
  it("answers a Responses object and bills it like chat", async () => {
    const { token } = await stack.user("resp-1", "1.00");
    const { data: response, response: http } = await stack
      .client(token)
      .responses.create({
        model: "mock-small",
        instructions: "Answer briefly.",
        input: [{ role: "user", content: [{ type: "input_text", text: "Write one line about rivers." }] }],
        max_output_tokens: 64,
      })
      .withResponse();
    expect(stack.mock.calls.lastBody).toMatchObject({
      model: "mock-small",
      max_tokens: 64,
      messages: [
        { role: "system", content: "Answer briefly." },
        { role: "user", content: [{ type: "text", text: "Write one line about rivers." }] },
      ],
    });
    expect(response).toMatchObject({ object: "response", status: "completed", model: "mock-small" });
    expect(response.id).toMatch(/^resp_/);
    expect(response.output[0]).toMatchObject({ type: "message", role: "assistant" });
    expect(response.output_text.length).toBeGreaterThan(0);
    const usage = response.usage!;
    expect(usage.total_tokens).toBe(usage.input_tokens + usage.output_tokens);
    expect(usage.output_tokens_details.reasoning_tokens).toBe(0);
    const block = (response as unknown as Block).modelfaucet;
    const requestId = http.headers.get("x-request-id")!;
    expect(block).toMatchObject({ request_id: requestId, route_mode: "platform", model: "mock-small" });
    const after = await stack.wallet(token);
    expect(after.held_usd).toBe("0.00000000");
    expect(units("1.00000000") - units(after.balance_usd)).toBe(units(block.price_usd));
    const [event] = await stack.usageOf(requestId);
    expect(event).toMatchObject({
      input_tokens: usage.input_tokens,
      output_tokens: usage.output_tokens,
      outcome: "completed",
      stream: false,
    });
    expect(await stack.reconciled()).toBe(true);
  });

  it("streams named events with increasing sequence numbers, ending in response.completed with usage", async () => {
    const { token } = await stack.user("resp-2", "1.00");
    const stream = await stack.client(token).responses.create({
      model: "mock-small",
      input: "Tell me about lakes.",
      stream: true,
    });
    const types: string[] = [];
    const sequence: number[] = [];
    let text = "";
    let completed: OpenAI.Responses.Response | undefined;
    for await (const event of stream) {
      types.push(event.type);
      sequence.push(event.sequence_number);
      if (event.type === "response.output_text.delta") text += event.delta;
      if (event.type === "response.completed") completed = event.response;
    }
    expect(types.slice(0, 4)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
    ]);
    expect(types).toContain("response.output_text.delta");
    expect(types.slice(-4)).toEqual([
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(sequence).toEqual(sequence.map((_, index) => index));
    expect(text.length).toBeGreaterThan(0);
    expect(completed!.output_text ?? "").toBe(text);
    const usage = completed!.usage!;
    expect(usage.output_tokens).toBeGreaterThan(0);
    const block = (completed as unknown as Block).modelfaucet;
    const [event] = await stack.usageOf(block.request_id);
    expect(event).toMatchObject({
      input_tokens: usage.input_tokens,
      output_tokens: usage.output_tokens,
      outcome: "completed",
      stream: true,
    });
    expect(await stack.wallet(token)).toMatchObject({ held_usd: "0.00000000" });
    expect(await stack.reconciled()).toBe(true);
  });

  it("ends a stream that dies midway with error and response.failed events, billing what was delivered", async () => {
    const { token } = await stack.user("resp-3", "1.00");
    stack.mock.setBehavior({ failure: "mid_stream" });
    const response = await fetch(`${stack.gatewayUrl}/v1/responses`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "x-request-id": "resp-mid-1" },
      body: JSON.stringify({ model: "mock-small", input: "Tell me about seas.", stream: true }),
    });
    const body = await response.text();
    expect(body).toContain("event: error");
    expect(body).toContain("event: response.failed");
    expect(body).not.toContain("response.completed");
    const [event] = await stack.usageOf("resp-mid-1");
    expect(event).toMatchObject({ outcome: "upstream_failed", usage_source: "estimated" });
    expect(Number(event!.output_tokens)).toBeGreaterThan(0);
    expect(await stack.wallet(token)).toMatchObject({ held_usd: "0.00000000" });
    expect(await stack.reconciled()).toBe(true);
  });

  it("answers 402 insufficient_balance without calling upstream", async () => {
    const { token } = await stack.user("resp-4");
    const error = await stack
      .client(token)
      .responses.create({ model: "mock-small", input: "hello" })
      .catch((caught: unknown) => caught);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(402);
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe("insufficient_balance");
    expect(stack.mock.calls.count).toBe(0);
  });

  it("refuses unknown models, embedding models and untranslatable input with 400, holding nothing", async () => {
    const { token } = await stack.user("resp-5", "1.00");
    const bodies: OpenAI.Responses.ResponseCreateParamsNonStreaming[] = [
      { model: "no-such-model", input: "hello" },
      { model: "mock-embed", input: "hello" },
      { model: "mock-small", input: [{ type: "function_call_output", call_id: "c1", output: "{}" }] },
      { model: "mock-small", input: "hello", tools: [{ type: "web_search_preview" }] },
    ];
    for (const body of bodies) {
      await expect(stack.client(token).responses.create(body)).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    }
    expect(stack.mock.calls.count).toBe(0);
    expect(await stack.wallet(token)).toMatchObject({ balance_usd: "1.00000000", held_usd: "0.00000000" });
  });
});
