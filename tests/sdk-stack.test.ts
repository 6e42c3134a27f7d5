// @modelfaucet/sdk against the real services (issue 12): the app's backend
// mints sessions with its secret key (`@modelfaucet/sdk/server`), the
// "browser" calls the Gateway and the API with `createFaucet`, and every
// amount it reports is the one in the ledger. Failures arrive as the typed
// errors, each where the contract says.
import { hashToken } from "@modelfaucet/crypto";
import {
  FaucetError,
  InsufficientBalanceError,
  LocalBridgeUnavailableError,
  NoRouteError,
  ProviderError,
  StreamInterruptedError,
  type ChatCompletionChunk,
} from "@modelfaucet/sdk";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { units } from "./helpers/revenue-stack.js";
import { startSdkStack, type SdkStack } from "./helpers/sdk-stack.js";

let sdk: SdkStack;
beforeAll(async () => {
  sdk = await startSdkStack();
});
afterAll(async () => {
  await sdk.close();
});
beforeEach(() => {
  sdk.stack.mock.setBehavior({ failure: "none", chunkDelayMs: 0, chunkCount: 8, replyTokens: 24 });
});

const messages = [{ role: "user" as const, content: "Write one line about rivers." }];
const chat = { model: "mock-small", messages };

const reconciled = () => sdk.stack.reconciled();

describe("a stream, end to end", () => {
  it("reports the usage and price the ledger recorded, and the wallet it left", async () => {
    const { faucet, sessions } = await sdk.user("stream@example.com", { usd: "1.00" });
    const stream = faucet.chat.stream(chat);
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const final = await stream.final;

    const event = await sdk.usageEvent(stream.requestId);
    expect(event).toBeDefined();
    expect(final).toMatchObject({ request_id: stream.requestId, finish_reason: "stop", route_mode: "platform" });
    expect(final.content.length).toBeGreaterThan(0);
    expect(final.usage).toMatchObject({ prompt_tokens: event!.input_tokens, completion_tokens: event!.output_tokens });
    expect(units(final.price_usd!)).toBe(BigInt(event!.retail_units as string));
    const wallet = await faucet.wallet.get();
    expect(wallet.held_usd).toBe("0.00000000");
    expect(100_000_000n - units(wallet.balance_usd)).toBe(units(final.price_usd!));
    expect(final.available_usd).toBe(wallet.available_usd);
    expect(sessions).toHaveLength(1);
    expect(await reconciled()).toBe(true);
  });

  it("after an abort mid-stream, final is what was delivered and billed, and no hold is left", async () => {
    sdk.stack.mock.setBehavior({ chunkDelayMs: 150, chunkCount: 40, replyTokens: 200 });
    const { faucet } = await sdk.user("abort@example.com", { usd: "1.00" });
    const stream = faucet.chat.stream(chat);
    let received = 0;
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta?.content) received += 1;
      if (received === 3) stream.abort();
    }
    const final = await stream.final;

    expect(final.finish_reason).toBe("aborted");
    const event = await sdk.usageEvent(stream.requestId);
    expect(event).toMatchObject({ outcome: "client_aborted" });
    expect(final.usage!.completion_tokens).toBe(event!.output_tokens);
    expect(final.usage!.completion_tokens).toBeGreaterThan(0);
    expect(final.usage!.completion_tokens).toBeLessThan(200);
    expect(units(final.price_usd!)).toBe(BigInt(event!.retail_units as string));
    const wallet = await faucet.wallet.get();
    expect(wallet.held_usd).toBe("0.00000000");
    expect(100_000_000n - units(wallet.balance_usd)).toBe(units(final.price_usd!));
    expect(await reconciled()).toBe(true);
  });

  it("a chat completion, embeddings and a Responses call and stream carry their price", async () => {
    const { faucet } = await sdk.user("endpoints@example.com", { usd: "1.00" });
    const completion = await faucet.chat.create(chat);
    expect(completion.modelfaucet.route_mode).toBe("platform");
    const models = await faucet.models.list();
    expect(models.data.map((model) => model.id)).toContain("mock-small");
    const embeddings = await faucet.embeddings.create({ model: "mock-embed", input: "rivers" });
    expect(units(embeddings.modelfaucet.price_usd)).toBeGreaterThan(0n);
    const response = await faucet.responses.create({ model: "mock-small", input: "Hello" });
    expect(response.status).toBe("completed");
    const stream = faucet.responses.stream({ model: "mock-small", input: "Hello" });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    const final = await stream.final;
    expect(types.at(-1)).toBe("response.completed");
    expect(final.output_text.length).toBeGreaterThan(0);
    expect(units(final.price_usd!)).toBe(BigInt((await sdk.usageEvent(stream.requestId))!.retail_units as string));
  });
});

describe("sessions", () => {
  it("an expired session is renewed through getSession and the call succeeds", async () => {
    const { faucet, sessions } = await sdk.user("expiring@example.com", { usd: "1.00" });
    // The server ends the session the client still believes valid.
    await sdk.db.query("UPDATE sessions SET expires_at = created_at + interval '1 millisecond' WHERE token_hash = $1", [
      hashToken(sessions[0]!.token),
    ]);
    const completion = await faucet.chat.create(chat);
    expect(completion.modelfaucet.price_usd).toMatch(/^0\.\d{8}$/);
    expect(sessions).toHaveLength(2);
    expect(sessions[1]!.token).not.toBe(sessions[0]!.token);
  });

  it("ten parallel calls of a new client mint one session", async () => {
    const { faucet, sessions } = await sdk.user("parallel@example.com", { usd: "1.00" });
    expect(sessions).toHaveLength(1);
    await Promise.all(Array.from({ length: 10 }, () => faucet.wallet.get()));
    expect(sessions).toHaveLength(1);
  });
});

describe("the wallet and the user's keys", () => {
  it("keys.add sends the key once; only its masked form comes back, and remove revokes it", async () => {
    const { faucet } = await sdk.user("keys@example.com");
    const apiKey = "sk-test-0123456789abcdefWXYZ";
    const added = await faucet.keys.add({ provider: "openai", apiKey });
    expect(added.masked).toBe("sk-...WXYZ");
    const listed = await faucet.keys.list();
    expect(listed.map((key) => key.id)).toEqual([added.id]);
    expect(JSON.stringify(listed)).not.toContain(apiKey);
    await faucet.keys.remove(added.id);
    expect(await faucet.keys.list()).toEqual([]);
  });

  it("topUp without Stripe configured is the server's payments_disabled", async () => {
    const { faucet } = await sdk.user("top-up@example.com");
    const params = { amountUsd: "10.00", successUrl: "https://app.test/ok", cancelUrl: "https://app.test/back" };
    const error = await faucet.wallet.topUp(params).catch((caught: unknown) => caught);
    expect(FaucetError.is(error, "payments_disabled")).toBe(true);
    expect(error).toMatchObject({ status: 503 });
  });
});

describe("typed errors", () => {
  it("an empty wallet is InsufficientBalanceError with what was needed", async () => {
    const { faucet } = await sdk.user("empty@example.com");
    const error = await faucet.chat.create(chat).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InsufficientBalanceError);
    expect(error).toMatchObject({
      code: "insufficient_balance",
      status: 402,
      retryable: false,
      availableUsd: "0.00000000",
    });
    expect(units((error as InsufficientBalanceError).neededUsd!)).toBeGreaterThan(0n);
    expect(FaucetError.is(error, "insufficient_balance")).toBe(true);
  });

  it("a route the feature does not allow is NoRouteError 409; local is LocalBridgeUnavailableError", async () => {
    const { faucet } = await sdk.user("routes@example.com", { usd: "1.00", feature: "local_first" });
    const forbidden = await faucet.chat.create(chat, { route: "byok" }).catch((caught: unknown) => caught);
    expect(forbidden).toBeInstanceOf(NoRouteError);
    expect(forbidden).toMatchObject({ status: 409 });
    const local = await faucet.chat.create(chat, { route: "local" }).catch((caught: unknown) => caught);
    expect(local).toBeInstanceOf(LocalBridgeUnavailableError);
    const platform = await faucet.chat.create(chat, { route: "platform" });
    expect(platform.modelfaucet.route_mode).toBe("platform");
  });

  it("an upstream that dies mid-stream is StreamInterruptedError, billed for what arrived", async () => {
    sdk.stack.mock.setBehavior({ failure: "mid_stream" });
    const { faucet } = await sdk.user("midway@example.com", { usd: "1.00" });
    const stream = faucet.chat.stream(chat);
    const error = await (async () => {
      for await (const _chunk of stream) {
        // read until the stream breaks
      }
    })().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StreamInterruptedError);
    expect(error).toMatchObject({ code: "provider_error", requestId: stream.requestId });
    const billed = (error as StreamInterruptedError).modelfaucet!;
    expect(units(billed.price_usd)).toBe(BigInt((await sdk.usageEvent(stream.requestId))!.retail_units as string));
    await expect(stream.final).rejects.toBe(error);
  });

  it("a killed upstream is ProviderError, and nothing is charged", async () => {
    // The Gateway's breaker then asks clients to wait 30 s: a client that may not wait fails at once.
    const { faucet } = await sdk.user("killed@example.com", { usd: "1.00", maxRetries: 0 });
    await sdk.killUpstream();
    const error = await faucet.chat.create(chat).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ code: "provider_error", status: 502, retryable: true });
    const wallet = await faucet.wallet.get();
    expect(wallet.balance_usd).toBe("1.00000000");
    expect(wallet.held_usd).toBe("0.00000000");
  });
});
