// Every answer carries its price and the wallet after it (issue 10, item 6;
// CONTRACT.md "Gateway"): a plain chat stream (no include_usage) puts the
// modelfaucet block on its last chunk, the one with finish_reason, sent only
// after settlement; with include_usage the usage chunk carries it too. The
// block's available_usd is the wallet's available balance right after the
// settlement — on chat, embeddings and responses, streamed or not, on the
// platform, BYOK (no hold) and budgeted developer-key routes, and under
// concurrency (settlements batched into one statement).
import type OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, startRoutingStack, type RoutingStack } from "./helpers/routing-stack.js";

interface Block {
  request_id: string;
  route_mode: string;
  price_usd: string;
  available_usd: string | null;
}

let stack: RoutingStack;

beforeAll(async () => {
  stack = await startRoutingStack();
  await stack.feature("platform_only", { route_preference: ["platform_pool"] });
  await stack.feature("byok_free", { route_preference: ["end_user_byok"] }, { byok_gateway_fee_usd: "0.00000000" });
  await stack.feature("dev_budget", { route_preference: ["developer_key"] });
  await stack.developerKeyThroughApi("5.00");
});
afterAll(async () => {
  await stack.close();
});
beforeEach(() => {
  stack.platform.setBehavior({ failure: "none" });
});

const messages = [{ role: "user" as const, content: "Write one line about rivers." }];
// The app has several features, so each request names its own.
const chat = { metadata: { feature_key: "platform_only" } };
const blockOf = (answer: unknown) => (answer as { modelfaucet?: Block }).modelfaucet;
const units = (usd: string) => BigInt(usd.replace(".", ""));

async function walletOf(token: string) {
  const wallet = (await (await stack.fetchApi("/v1/user/wallet", { token })).json()) as Record<string, string>;
  return { balance: units(wallet.balance_usd!), held: units(wallet.held_usd!), available: wallet.available_usd! };
}

/** What a settled answer must show: the wallet it left, no hold open, and the price it took from it. */
async function expectSettledAs(token: string, block: Block | undefined, balanceBefore: bigint) {
  const wallet = await walletOf(token);
  expect(block).toBeDefined();
  expect(wallet.held).toBe(0n);
  expect(block!.available_usd).toBe(wallet.available);
  expect(balanceBefore - wallet.balance).toBe(units(block!.price_usd));
}

async function reconciled(): Promise<boolean> {
  const response = await fetch(`${stack.apiUrl}/v1/admin/reconciliation/ledger`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  return ((await response.json()) as { ok: boolean }).ok;
}

describe("a chat stream's price", () => {
  it("is on the last chunk, the one with finish_reason, of a plain stream", async () => {
    const { token } = await stack.user("plain-stream", "1.00");
    const { data: stream, response } = await stack
      .client(token)
      .chat.completions.create({ model: "mock-small", messages, stream: true, ...chat })
      .withResponse();
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);

    const last = chunks.at(-1)!;
    expect(last.choices[0]?.finish_reason).toBe("stop");
    expect(chunks.slice(0, -1).every((chunk) => blockOf(chunk) === undefined)).toBe(true);
    expect(chunks.slice(0, -1).some((chunk) => chunk.choices[0]?.delta.content)).toBe(true);
    const block = blockOf(last);
    expect(block).toMatchObject({ route_mode: "platform", request_id: response.headers.get("x-request-id") });
    expect(units(block!.price_usd)).toBeGreaterThan(0n);
    await expectSettledAs(token, block, 100_000_000n);
  });

  it("is on the finish chunk and on the usage chunk with include_usage", async () => {
    const { token } = await stack.user("usage-stream", "1.00");
    const stream = await stack.client(token).chat.completions.create({
      model: "mock-small",
      messages,
      stream: true,
      stream_options: { include_usage: true },
      ...chat,
    });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);

    const [finish, usage] = chunks.slice(-2);
    expect(finish!.choices[0]?.finish_reason).toBe("stop");
    expect(usage!.choices).toEqual([]);
    expect(usage!.usage?.completion_tokens).toBeGreaterThan(0);
    expect(blockOf(finish)).toEqual(blockOf(usage));
    expect(chunks.slice(0, -2).every((chunk) => blockOf(chunk) === undefined)).toBe(true);
    await expectSettledAs(token, blockOf(usage), 100_000_000n);
  });

  it("is on the error event of a stream that dies midway, billing what was delivered", async () => {
    const { token } = await stack.user("midway-stream", "1.00");
    stack.platform.setBehavior({ failure: "mid_stream" });
    const response = await fetch(`${stack.gatewayUrl}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "mock-small", messages, stream: true, ...chat }),
    });
    const events = (await response.text())
      .split("\n\n")
      .filter((event) => event.startsWith("data: "))
      .map((event) => JSON.parse(event.slice("data: ".length)) as { error?: unknown; modelfaucet?: Block });
    const last = events.at(-1)!;
    expect(last.error).toMatchObject({ code: "provider_error" });
    expect(units(last.modelfaucet!.price_usd)).toBeGreaterThan(0n);
    await expectSettledAs(token, last.modelfaucet, 100_000_000n);
  });
});

describe("available_usd on every answer", () => {
  it("is the wallet after settlement for chat, embeddings and responses, one after another", async () => {
    const { token } = await stack.user("every-answer", "1.00");
    const client = stack.client(token);
    const calls: Array<() => Promise<Block | undefined>> = [
      () => client.chat.completions.create({ model: "mock-small", messages, ...chat }).then(blockOf),
      () => client.embeddings.create({ model: "mock-embed", input: "rivers", ...chat }).then(blockOf),
      () => client.responses.create({ model: "mock-small", input: "rivers", ...chat }).then(blockOf),
      async () => {
        const stream = await client.responses.create({ model: "mock-small", input: "rivers", stream: true, ...chat });
        let completed: unknown;
        for await (const event of stream) if (event.type === "response.completed") completed = event.response;
        return blockOf(completed);
      },
    ];
    for (const call of calls) {
      const before = (await walletOf(token)).balance;
      await expectSettledAs(token, await call(), before);
    }
  });

  it("is the wallet as it stands on a BYOK route with no fee, where nothing is held", async () => {
    const { token } = await stack.user("byok-free", "0.50");
    await stack.userKey(token, {
      provider: "openai_compatible",
      api_key: stack.byokKey,
      base_url: `${stack.byok.url}/v1`,
    });
    const completion = await stack.client(token).chat.completions.create({ model: "auto:byok_free", messages });
    expect(blockOf(completion)).toMatchObject({ route_mode: "byok", price_usd: "0.00000000" });
    expect(blockOf(completion)!.available_usd).toBe("0.50000000");
    await expectSettledAs(token, blockOf(completion), 50_000_000n);
  });

  it("is the wallet after a budgeted developer-key settlement (two holds in one transaction)", async () => {
    const { token } = await stack.user("dev-budget", "1.00");
    const stream = await stack.client(token).chat.completions.create({
      model: "auto:dev_budget",
      messages,
      stream: true,
    });
    let last: unknown;
    for await (const chunk of stream) last = chunk;
    expect(blockOf(last)).toMatchObject({ route_mode: "developer_key" });
    await expectSettledAs(token, blockOf(last), 100_000_000n);
  });

  it("is each wallet's own when many users' settlements share statements", async () => {
    const users = await Promise.all(Array.from({ length: 12 }, (_, i) => stack.user(`concurrent-${i}`, "1.00")));
    const blocks = await Promise.all(
      users.map(({ token }, i) =>
        stack
          .client(token)
          .chat.completions.create({ model: "mock-small", messages, max_tokens: 16 + i, ...chat })
          .then(blockOf),
      ),
    );
    for (const [i, { token }] of users.entries()) await expectSettledAs(token, blocks[i], 100_000_000n);
    expect(await reconciled()).toBe(true);
  });
});
