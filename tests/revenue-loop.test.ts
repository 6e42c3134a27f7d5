import { formatUsd } from "@modelfaucet/core";
import { createTestDatabase, type TestDatabase } from "@modelfaucet/db/testing";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEVELOPER_ADMIN_TOKEN, startRevenueStack, units, type RevenueStack } from "./helpers/revenue-stack.js";
import { ADMIN_TOKEN } from "./helpers/services.js";

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

const messages = [{ role: "user" as const, content: "Write one line about rivers." }];

describe("the revenue loop through the official openai client", () => {
  it("bills a completion: the wallet pays the price in the modelfaucet block, split exactly", async () => {
    const { token } = await stack.user("loop-1", "1.00");
    const { data: completion, response } = await stack
      .client(token)
      .chat.completions.create({ model: "mock-small", messages, max_tokens: 64 })
      .withResponse();
    const requestId = response.headers.get("x-request-id")!;
    expect(completion.choices[0]!.message.content).toBeTruthy();
    const block = (completion as unknown as { modelfaucet: Record<string, string> }).modelfaucet;
    expect(block).toMatchObject({
      request_id: requestId,
      route_mode: "platform",
      feature_key: "chat",
      provider: "mock",
      model: "mock-small",
    });
    expect(await stack.wallet(token)).toMatchObject({ held_usd: "0.00000000" });
    expect(units("1.00000000") - units((await stack.wallet(token)).balance_usd)).toBe(units(block.price_usd!));

    const [event] = await stack.usageOf(requestId);
    expect(event).toMatchObject({
      input_tokens: completion.usage!.prompt_tokens,
      output_tokens: completion.usage!.completion_tokens,
      outcome: "completed",
      usage_source: "upstream",
    });
    const parts = ["cost_units", "developer_units", "platform_units"].map((column) => BigInt(String(event![column])));
    expect(parts.reduce((a, b) => a + b)).toBe(units(block.price_usd!));
    expect(await stack.reconciled()).toBe(true);

    const usage = await fetch(`${stack.apiUrl}/v1/apps/app_demo/usage`, {
      headers: { authorization: `Bearer ${DEVELOPER_ADMIN_TOKEN}` },
    });
    const listed = (await usage.json()) as { items: Array<{ request_id: string; retail_price_usd: string }> };
    expect(listed.items.find((item) => item.request_id === requestId)?.retail_price_usd).toBe(block.price_usd);
  });

  it("streams with a final usage chunk, and the ledger holds exactly the usage the client received", async () => {
    const { token } = await stack.user("loop-2", "1.00");
    const stream = await stack.client(token).chat.completions.create({
      model: "mock-small",
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let usage: OpenAI.CompletionUsage | undefined;
    let requestId = "";
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      if (chunk.usage) {
        usage = chunk.usage;
        requestId = (chunk as unknown as { modelfaucet: { request_id: string } }).modelfaucet.request_id;
      }
    }
    expect(text.length).toBeGreaterThan(0);
    expect(usage?.completion_tokens).toBeGreaterThan(0);
    const [event] = await stack.usageOf(requestId);
    expect(event).toMatchObject({
      input_tokens: usage!.prompt_tokens,
      output_tokens: usage!.completion_tokens,
      stream: true,
    });
    expect(await stack.reconciled()).toBe(true);
  });

  it("lists the models the session can use", async () => {
    const { token } = await stack.user("loop-3");
    const models = await stack.client(token).models.list();
    const ids = models.data.map((model) => model.id);
    expect(ids).toEqual(expect.arrayContaining(["mock-small", "mock-large"]));
    expect(ids).not.toContain("gpt-4o");
  });

  it("surfaces errors as the client's typed errors", async () => {
    await expect(
      stack.client("mf_sess_nope").chat.completions.create({ model: "mock-small", messages }),
    ).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    const { token } = await stack.user("loop-4", "1.00");
    await expect(
      stack.client(token).chat.completions.create({ model: "no-such-model", messages }),
    ).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    expect(stack.mock.calls.count).toBe(0);
  });

  it("answers 402 insufficient_balance without calling upstream", async () => {
    const { token } = await stack.user("loop-5");
    const error = await stack
      .client(token)
      .chat.completions.create({ model: "mock-small", messages })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(402);
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe("insufficient_balance");
    expect(stack.mock.calls.count).toBe(0);
  });

  it("lets at most as many of 100 concurrent requests through as the wallet can pay for", async () => {
    const probe = await stack.user("loop-6-probe", "1.00");
    const probed = await stack
      .client(probe.token)
      .chat.completions.create({ model: "mock-small", messages, max_tokens: 24 });
    const price = units((probed as unknown as { modelfaucet: { price_usd: string } }).modelfaucet.price_usd);
    const funded = price * 5n;
    const { token, walletId } = await stack.user("loop-6");
    await stack.admin("POST", `/v1/admin/wallets/${walletId}/credit-test-balance`, { amount_usd: formatUsd(funded) });
    stack.mock.resetCalls();
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, () =>
        stack.client(token).chat.completions.create({ model: "mock-small", messages, max_tokens: 24 }),
      ),
    );
    const succeeded = results.filter((result) => result.status === "fulfilled").length;
    const refused = results.filter(
      (result) => result.status === "rejected" && (result.reason as { status?: number }).status === 402,
    ).length;
    expect(succeeded).toBeLessThanOrEqual(5);
    expect(succeeded + refused).toBe(100);
    expect(stack.mock.calls.count).toBe(succeeded);
    const after = await stack.wallet(token);
    expect(units(after.balance_usd) >= 0n).toBe(true);
    expect(after.held_usd).toBe("0.00000000");
    expect(await stack.reconciled()).toBe(true);
  });
});

describe("upstream failures", () => {
  it("releases the hold when upstream fails before answering, and answers 502 provider_error", async () => {
    const { token } = await stack.user("fail-1", "1.00");
    stack.mock.setBehavior({ failure: "http_500" });
    const error = await stack
      .client(token)
      .chat.completions.create({ model: "mock-small", messages })
      .catch((caught: unknown) => caught);
    expect((error as { status?: number }).status).toBe(502);
    expect((error as { code?: string }).code).toBe("provider_error");
    expect(await stack.wallet(token)).toMatchObject({ balance_usd: "1.00000000", held_usd: "0.00000000" });
    expect(await stack.reconciled()).toBe(true);
  });

  it("ends a stream that dies midway with an error event and bills what was delivered", async () => {
    const { token } = await stack.user("fail-2", "1.00");
    stack.mock.setBehavior({ failure: "mid_stream" });
    const response = await fetch(`${stack.gatewayUrl}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "x-request-id": "mid-stream-1" },
      body: JSON.stringify({ model: "mock-small", messages, stream: true }),
    });
    const body = await response.text();
    expect(body).toContain('"code":"provider_error"');
    expect(body).not.toContain("[DONE]");
    const [event] = await stack.usageOf("mid-stream-1");
    expect(event).toMatchObject({ outcome: "upstream_failed", usage_source: "estimated" });
    expect(Number(event!.output_tokens)).toBeGreaterThan(0);
    expect((await stack.wallet(token)).held_usd).toBe("0.00000000");
    expect(await stack.reconciled()).toBe(true);
  });

  it("counts tokens itself when upstream omits usage, never recording zero", async () => {
    const { token } = await stack.user("fail-3", "1.00");
    stack.mock.setBehavior({ failure: "omit_usage" });
    const response = await fetch(`${stack.gatewayUrl}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "x-request-id": "no-usage-1" },
      body: JSON.stringify({ model: "mock-small", messages, stream: true, stream_options: { include_usage: true } }),
    });
    expect(await response.text()).toContain("[DONE]");
    const [event] = await stack.usageOf("no-usage-1");
    expect(event).toMatchObject({ usage_source: "estimated" });
    expect(Number(event!.output_tokens)).toBeGreaterThan(0);
    expect(Number(event!.input_tokens)).toBeGreaterThan(0);
  });

  it("aborts upstream when the client disconnects and charges for what was produced", async () => {
    const { token } = await stack.user("fail-4", "1.00");
    stack.mock.setBehavior({ chunkCount: 20, chunkDelayMs: 50, replyTokens: 200 });
    const controller = new AbortController();
    const response = await fetch(`${stack.gatewayUrl}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "x-request-id": "abort-1" },
      body: JSON.stringify({ model: "mock-small", messages, stream: true }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    const deadline = Date.now() + 5000;
    let rows = await stack.usageOf("abort-1");
    while (rows.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      rows = await stack.usageOf("abort-1");
    }
    expect(rows[0]).toMatchObject({ outcome: "client_aborted" });
    expect((await stack.wallet(token)).held_usd).toBe("0.00000000");
    expect(await stack.reconciled()).toBe(true);
  });
});

describe("test credits", () => {
  it("apply once per idempotency key, even when retried under a new request id", async () => {
    const { token, walletId } = await stack.user("credit-retry");
    const credit = (requestId: string) =>
      fetch(`${stack.apiUrl}/v1/admin/wallets/${walletId}/credit-test-balance`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${ADMIN_TOKEN}`,
          "content-type": "application/json",
          "idempotency-key": "retry-1",
          "x-request-id": requestId,
        },
        body: JSON.stringify({ amount_usd: "3.00" }),
      });
    expect((await credit("first")).status).toBe(200);
    const again = await credit("second");
    expect(again.status).toBe(200);
    expect(((await again.json()) as { credited: boolean }).credited).toBe(false);
    expect((await stack.wallet(token)).balance_usd).toBe("3.00000000");
  });
});
