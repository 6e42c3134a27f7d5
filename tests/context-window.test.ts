import { countChatPromptTokens, countTextTokens } from "@modelfaucet/providers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRoutingStack, type RoutingStack } from "./helpers/routing-stack.js";

// Issue 10, item 2, through HTTP: prompt tokens plus the output limit over
// the model's context window is 400 `context_length_exceeded` before any
// hold — never sent upstream, never billed. mock-small has a window of
// 128,000 tokens; the demo feature's output limit is 1,024.

const WINDOW = 128_000;
const OUTPUT_LIMIT = 1024;

let stack: RoutingStack;
let token: string;

beforeAll(async () => {
  stack = await startRoutingStack();
  ({ token } = await stack.user("context-window", "5.00"));
});
afterAll(() => stack.close());

/** A user message whose chat prompt counts exactly `tokens` (" hello" is one o200k token). */
function messagesOf(tokens: number) {
  const messages = [{ role: "user", content: "hello" }];
  messages[0]!.content += " hello".repeat(tokens - countChatPromptTokens(messages));
  expect(countChatPromptTokens(messages)).toBe(tokens);
  return messages;
}

async function post(path: string, body: Record<string, unknown>) {
  const response = await fetch(`${stack.gatewayUrl}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as {
      usage?: { prompt_tokens: number };
      error?: { code: string; message: string };
    },
  };
}

/** Asserts a refusal that reached no upstream and moved no money. */
async function expectRefusedUnbilled(call: Promise<{ status: number; body: { error?: { code: string } } }>) {
  const before = await stack.wallet(token);
  const calls = stack.platform.calls.count;
  const answer = await call;
  expect(answer.status).toBe(400);
  expect(answer.body.error?.code).toBe("context_length_exceeded");
  expect(stack.platform.calls.count).toBe(calls);
  expect(await stack.wallet(token)).toMatchObject({ balance_usd: before.balance_usd, held_usd: "0.00000000" });
  return answer.body.error as { code: string; message: string };
}

describe("chat completions", () => {
  it("serves a prompt that fills the window with the output limit exactly, counted exactly", async () => {
    const promptTokens = WINDOW - OUTPUT_LIMIT;
    const answer = await post("/v1/chat/completions", { model: "mock-small", messages: messagesOf(promptTokens) });
    expect(answer.status).toBe(200);
    expect(answer.body.usage?.prompt_tokens).toBe(promptTokens);
  });

  it("refuses one token more with context_length_exceeded, naming the window, the prompt and the output limit", async () => {
    const promptTokens = WINDOW - OUTPUT_LIMIT + 1;
    const error = await expectRefusedUnbilled(
      post("/v1/chat/completions", { model: "mock-small", messages: messagesOf(promptTokens) }),
    );
    expect(error.message).toContain(`${WINDOW} tokens`);
    expect(error.message).toContain(`${promptTokens} tokens`);
    expect(error.message).toContain(`${OUTPUT_LIMIT} tokens`);
  });

  it("counts the output limit the request asks for", async () => {
    const messages = messagesOf(WINDOW - 1000);
    const fits = await post("/v1/chat/completions", { model: "mock-small", messages, max_tokens: 1000 });
    expect(fits.status).toBe(200);
    await expectRefusedUnbilled(post("/v1/chat/completions", { model: "mock-small", messages, max_tokens: 1001 }));
    // Without max_tokens the feature's limit (1,024) is held and sent, and no longer fits.
    await expectRefusedUnbilled(post("/v1/chat/completions", { model: "mock-small", messages }));
  });

  it("refuses the issue's oversized prompt (five times the window) without sending or billing it", async () => {
    await expectRefusedUnbilled(
      post("/v1/chat/completions", { model: "mock-small", messages: messagesOf(5 * WINDOW), stream: true }),
    );
  });
});

describe("responses and embeddings", () => {
  it("responses: refuses an input over the window", async () => {
    const input = messagesOf(WINDOW)[0]!.content;
    await expectRefusedUnbilled(post("/v1/responses", { model: "mock-small", input }));
  });

  it("embeddings: each input within mock-embed's window of 8,192 tokens", async () => {
    const text = (tokens: number) => "hello" + " hello".repeat(tokens - 1);
    expect(countTextTokens(text(8192))).toBe(8192);
    expect((await post("/v1/embeddings", { model: "mock-embed", input: text(8192) })).status).toBe(200);
    const error = await expectRefusedUnbilled(
      post("/v1/embeddings", { model: "mock-embed", input: ["short", text(8193)] }),
    );
    expect(error.message).toMatch(/^Input 1 counts 8193 tokens.*8192 tokens/);
  });
});
