// The SDK's `local` route against the real services and a real Local Bridge
// (in this process, in front of a fake Ollama): local.detect, and chat.create,
// chat.stream and embeddings.create sent to the bridge with a ticket from
// the Control API — OpenAI shapes with the modelfaucet block of route_mode
// local priced at the feature's local fee, charged once when the bridge's
// report lands. `auto` takes the bridge for a local-first feature when it
// answers and the Gateway when it does not; a bridge that is down is
// LocalBridgeUnavailableError, with nothing held. Run on PostgreSQL too.
import {
  createFaucet,
  FaucetError,
  InsufficientBalanceError,
  LocalBridgeUnavailableError,
  type Faucet,
} from "@modelfaucet/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  LOCAL_FEE_USD,
  LOCAL_MODEL,
  startLocalBridgeStack,
  type LocalBridgeStack,
  type LocalFeature,
} from "./helpers/local-bridge-stack.js";

/** Nothing listens here: a bridge that is not running. */
const NO_BRIDGE = "http://127.0.0.1:9";

let local: LocalBridgeStack;
beforeAll(async () => {
  local = await startLocalBridgeStack();
});
afterAll(async () => {
  await local?.close();
});

async function faucetOf(
  externalUserId: string,
  options: { usd?: string; feature?: LocalFeature; bridgeUrl?: string } = {},
): Promise<{ faucet: Faucet; token: string }> {
  const { token, grant } = await local.user(externalUserId, options.usd ?? "1.00", options.feature);
  const faucet = createFaucet({
    apiBaseUrl: local.stack.apiUrl,
    localBridgeUrl: options.bridgeUrl ?? local.bridgeUrl,
    getSession: async () => grant,
  });
  return { faucet, token };
}

const chat = { model: LOCAL_MODEL, messages: [{ role: "user" as const, content: "Summarize the thread" }] };

async function settled(token: string, requestId: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await local.stack.usageOf(requestId)).length === 0) {
    if (Date.now() > deadline) throw new Error(`${requestId} was never settled`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  expect(await local.stack.wallet(token)).toMatchObject({ held_usd: "0.00000000" });
}

describe("faucet.local.detect", () => {
  it("finds the bridge and its models, and says unavailable where none runs", async () => {
    const { faucet } = await faucetOf("detect-local");
    expect(await faucet.local.detect()).toEqual({
      status: "available",
      models: [expect.objectContaining({ id: LOCAL_MODEL })],
    });
    const { faucet: nowhere } = await faucetOf("detect-nowhere", { bridgeUrl: NO_BRIDGE });
    expect(await nowhere.local.detect()).toEqual({ status: "unavailable", models: [] });
  });
});

describe("route: local", () => {
  it("chat.create answers from the bridge with the modelfaucet block, and the wallet pays the fee once", async () => {
    const { faucet, token } = await faucetOf("sdk-local-chat");
    const answer = await faucet.chat.create(
      { ...chat, metadata: { feature_key: "local_paid", topic: "refunds" } },
      { route: "local" },
    );
    expect(answer.choices[0]!.message).toMatchObject({ content: "Hello from your machine." });
    expect(answer.modelfaucet).toEqual({
      request_id: expect.stringMatching(/^req_/),
      route_mode: "local",
      feature_key: "local_paid",
      provider: "ollama",
      model: LOCAL_MODEL,
      price_usd: LOCAL_FEE_USD,
      available_usd: "0.99000000",
    });
    expect(answer.usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 5, cost: 0.01 });
    // The local server sees the caller's metadata, not ModelFaucet's routing key.
    expect(local.ollama.requests.at(-1)!.body!.metadata).toEqual({ topic: "refunds" });

    const requestId = answer.modelfaucet.request_id;
    await settled(token, requestId);
    expect(await local.stack.wallet(token)).toMatchObject({ balance_usd: "0.99000000" });
    const history = await faucet.wallet.history();
    expect(history.items[0]).toMatchObject({ request_id: requestId, route_mode: "local", price_usd: LOCAL_FEE_USD });
    expect(await local.stack.usageOf(requestId)).toHaveLength(1);
  });

  it("chat.stream streams from the bridge and ends with the block; the fee is charged once", async () => {
    const { faucet, token } = await faucetOf("sdk-local-stream", { feature: "local_paid" });
    const stream = faucet.chat.stream(chat, { route: "local" });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
    expect(text).toBe("Hello from your machine.");
    const final = await stream.final;
    expect(final).toMatchObject({
      request_id: stream.requestId,
      content: text,
      finish_reason: "stop",
      route_mode: "local",
      price_usd: LOCAL_FEE_USD,
      available_usd: "0.99000000",
      usage: { prompt_tokens: 11, completion_tokens: 5, cost: 0.01 },
      modelfaucet: { route_mode: "local", request_id: stream.requestId, feature_key: "local_paid" },
    });
    await settled(token, stream.requestId);
    expect(await local.stack.wallet(token)).toMatchObject({ balance_usd: "0.99000000" });
  });

  it("a stopped local stream is billed the fee, read back from the usage record", async () => {
    const { faucet, token } = await faucetOf("sdk-local-abort", { feature: "local_paid" });
    local.ollama.holdStreams = true;
    try {
      const stream = faucet.chat.stream(chat, { route: "local" });
      for await (const _chunk of stream) break;
      const final = await stream.final;
      expect(final).toMatchObject({ finish_reason: "aborted", route_mode: "local", price_usd: LOCAL_FEE_USD });
      await settled(token, stream.requestId);
    } finally {
      local.ollama.holdStreams = false;
      local.ollama.release();
    }
  });

  it("embeddings.create embeds on the bridge", async () => {
    const { faucet, token } = await faucetOf("sdk-local-embed", { feature: "local_paid" });
    const answer = await faucet.embeddings.create({ model: LOCAL_MODEL, input: ["one", "two"] }, { route: "local" });
    expect(answer.data).toHaveLength(2);
    expect(answer.modelfaucet).toMatchObject({ route_mode: "local", price_usd: LOCAL_FEE_USD });
    expect(answer.usage).toMatchObject({ prompt_tokens: 7, cost: 0.01 });
    await settled(token, answer.modelfaucet.request_id);
  });

  it("is LocalBridgeUnavailableError when no bridge runs, holding nothing", async () => {
    const { faucet, token } = await faucetOf("sdk-local-down", { feature: "local_paid", bridgeUrl: NO_BRIDGE });
    const error = await faucet.chat.create(chat, { route: "local" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LocalBridgeUnavailableError);
    expect(error).toMatchObject({ code: "local_bridge_unavailable", status: 503, retryable: false });
    expect(FaucetError.is(error, "local_bridge_unavailable")).toBe(true);
    expect(await local.stack.wallet(token)).toMatchObject({ held_usd: "0.00000000" });
  });

  it("keeps the ticket of a call the bridge refused, so the next call holds no second fee", async () => {
    const { faucet, token } = await faucetOf("sdk-local-refused", { feature: "local_paid" });
    const refused = await faucet.chat
      .create({ ...chat, model: "ollama/not-pulled" }, { route: "local" })
      .catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(FaucetError);
    expect(await local.stack.wallet(token)).toMatchObject({ held_usd: LOCAL_FEE_USD });
    const answer = await faucet.chat.create(chat, { route: "local" });
    await settled(token, answer.modelfaucet.request_id);
    expect(await local.stack.wallet(token)).toMatchObject({ balance_usd: "0.99000000", held_usd: "0.00000000" });
  });

  it("is InsufficientBalanceError when the wallet cannot hold the fee, and the bridge is not called", async () => {
    const { faucet } = await faucetOf("sdk-local-poor", { usd: "0.00100000", feature: "local_paid" });
    const calls = local.ollama.requests.length;
    const error = await faucet.chat.create(chat, { route: "local" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InsufficientBalanceError);
    expect(local.ollama.requests.length).toBe(calls);
  });
});

describe("route: auto on a feature that prefers local", () => {
  it("takes the bridge when it answers, and the Gateway's next route when it does not", async () => {
    const { faucet } = await faucetOf("sdk-auto-local", { feature: "local_paid" });
    expect((await faucet.chat.create(chat)).modelfaucet.route_mode).toBe("local");
    const { faucet: away } = await faucetOf("sdk-auto-away", { feature: "local_paid", bridgeUrl: NO_BRIDGE });
    const cloud = await away.chat.create({ ...chat, model: "mock-small" });
    expect(cloud.modelfaucet.route_mode).toBe("platform");
  });
});
