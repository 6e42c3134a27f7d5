// The Gateway stays a plain OpenAI endpoint: the official `openai` client
// and the Vercel AI SDK stream through it with the options
// `faucet.openAIOptions()` gives them, and their calls renew an expired
// session through the app's getSession like the SDK's own.
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { hashToken } from "@modelfaucet/crypto";
import { streamText } from "ai";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { units } from "./helpers/revenue-stack.js";
import { startSdkStack, type SdkStack } from "./helpers/sdk-stack.js";

let sdk: SdkStack;
beforeAll(async () => {
  sdk = await startSdkStack();
});
afterAll(async () => {
  await sdk.close();
});

const messages = [{ role: "user" as const, content: "Write one line about rivers." }];

describe("other clients on faucet.openAIOptions()", () => {
  it("the openai client streams, on a session renewed for it when the server expired it", async () => {
    const { faucet, sessions } = await sdk.user("openai-client@example.com", { usd: "1.00" });
    const client = new OpenAI({ ...(await faucet.openAIOptions()), maxRetries: 0 });
    // The server ends the session the options were made with, before the client's first call.
    await sdk.db.query("UPDATE sessions SET expires_at = created_at + interval '1 millisecond' WHERE token_hash = $1", [
      hashToken(sessions[0]!.token),
    ]);
    const { data: stream, response } = await client.chat.completions
      .create({ model: "mock-small", messages, stream: true, stream_options: { include_usage: true } })
      .withResponse();
    let text = "";
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      usage = chunk.usage ?? usage;
    }
    expect(text.length).toBeGreaterThan(0);
    expect(sessions).toHaveLength(2);
    const event = await sdk.usageEvent(response.headers.get("x-request-id")!);
    expect(usage?.completion_tokens).toBe(event!.output_tokens);
    expect(usage?.prompt_tokens).toBe(event!.input_tokens);
  });

  it("the Vercel AI SDK streams text and reports the usage that was billed", async () => {
    const { faucet } = await sdk.user("ai-sdk@example.com", { usd: "1.00" });
    const { baseURL, apiKey, fetch } = await faucet.openAIOptions();
    const provider = createOpenAICompatible({ name: "modelfaucet", baseURL, apiKey, fetch, includeUsage: true });
    const result = streamText({ model: provider("mock-small"), messages });
    let text = "";
    for await (const delta of result.textStream) text += delta;
    expect(text.length).toBeGreaterThan(0);
    const usage = await result.usage;
    const [billed] = (await faucet.wallet.history({ limit: 1 })).items;
    expect(usage.outputTokens).toBe(billed!.output_tokens);
    expect(usage.inputTokens).toBe(billed!.input_tokens);
    const wallet = await faucet.wallet.get();
    expect(100_000_000n - units(wallet.balance_usd)).toBe(units(billed!.price_usd));
  });
});
