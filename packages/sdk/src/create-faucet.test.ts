// The browser client against a scripted fetch: what it sends, when it renews
// the session, retries and stops, and how it reads streams. The same
// behaviours against the real services: tests/sdk-*.test.ts.
import { describe, expect, it, vi } from "vitest";
import { createFaucet } from "./create-faucet.js";
import type * as ErrorModule from "./errors/faucet-error.js";
import { FaucetError, RateLimitError, SessionError, StreamInterruptedError } from "./errors/faucet-error.js";
import { data, envelope, grant, json, scriptedFetch, sse } from "./testing/scripted-fetch.js";

const completion = { id: "chatcmpl-1", object: "chat.completion", choices: [], usage: {}, modelfaucet: {} };
const body = { model: "mock-small", messages: [{ role: "user" as const, content: "Hi" }] };
const block = {
  request_id: "req_x",
  route_mode: "platform",
  feature_key: "chat",
  provider: "mock",
  model: "mock-small",
  price_usd: "0.00001234",
  available_usd: "0.99998766",
};
const chunk = (content: string) => ({ object: "chat.completion.chunk", choices: [{ index: 0, delta: { content } }] });

function faucetWith(fetch: typeof globalThis.fetch, tokens = ["tok_1", "tok_2", "tok_3"]) {
  const getSession = vi.fn(async () => grant(tokens[getSession.mock.calls.length - 1]!));
  return { faucet: createFaucet({ getSession, apiBaseUrl: "http://api.test", fetch }), getSession };
}

describe("a call", () => {
  it("sends the session, its request id and the route, and never streams from create", async () => {
    const { fetch, seen } = scriptedFetch(() => json(200, completion));
    const { faucet } = faucetWith(fetch);
    await faucet.chat.create({ ...body, stream: true, stream_options: { include_usage: true } }, { route: "byok" });
    const [request] = seen;
    expect(request!.url).toBe("http://gateway.test/v1/chat/completions");
    expect(request!.headers.get("authorization")).toBe("Bearer tok_1");
    expect(request!.headers.get("x-modelfaucet-route")).toBe("byok");
    expect(request!.headers.get("x-request-id")).toMatch(/^req_[0-9a-f]{24}$/);
    expect(request!.body).toEqual({ ...body, stream: false });
  });

  it("renews an expired session once and sends the request again", async () => {
    const { fetch, seen } = scriptedFetch(
      () => envelope(401, "expired_session"),
      () => json(200, completion),
    );
    const { faucet, getSession } = faucetWith(fetch);
    await faucet.chat.create(body);
    expect(getSession).toHaveBeenCalledTimes(2);
    expect(seen.map((request) => request.headers.get("authorization"))).toEqual(["Bearer tok_1", "Bearer tok_2"]);
    expect(seen[0]!.headers.get("x-request-id")).toBe(seen[1]!.headers.get("x-request-id"));
  });

  it("gives up on a session the server refuses twice", async () => {
    const { fetch, seen } = scriptedFetch(() => envelope(401, "expired_session"));
    const { faucet } = faucetWith(fetch);
    const error = await faucet.wallet.get().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SessionError);
    expect(seen).toHaveLength(2);
  });

  it("retries a 429 after Retry-After, at most twice", async () => {
    const { fetch, seen } = scriptedFetch(() => envelope(429, "rate_limited", { "retry-after-ms": "10" }));
    const { faucet } = faucetWith(fetch);
    const error = await faucet.chat.create(body).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(10);
    expect((error as RateLimitError).retryable).toBe(true);
    expect(seen).toHaveLength(3);
  });

  it("does not wait out a Retry-After beyond 60 s", async () => {
    const { fetch, seen } = scriptedFetch(() => envelope(429, "rate_limited", { "retry-after": "120" }));
    const { faucet } = faucetWith(fetch);
    const error = await faucet.chat.create(body).catch((caught: unknown) => caught);
    expect((error as RateLimitError).retryAfterMs).toBe(120_000);
    expect(seen).toHaveLength(1);
  });

  it("does not retry what the server says cannot pass (x-should-retry: false)", async () => {
    const { fetch, seen } = scriptedFetch(() => envelope(429, "rate_limited", { "x-should-retry": "false" }));
    const { faucet } = faucetWith(fetch);
    const error = await faucet.chat.create(body).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryable).toBe(false);
    expect(seen).toHaveLength(1);
  });

  it("retries no more than maxRetries says, 0–2", async () => {
    const { fetch, seen } = scriptedFetch(() => envelope(502, "provider_error"));
    const getSession = async () => grant("tok_1");
    const error = await createFaucet({ getSession, fetch, maxRetries: 0 })
      .chat.create(body)
      .catch((caught: unknown) => caught);
    expect(FaucetError.is(error, "provider_error")).toBe(true);
    expect(seen).toHaveLength(1);
    expect(() => createFaucet({ getSession, maxRetries: 3 })).toThrow(RangeError);
  });

  it("never retries after an abort", async () => {
    const { fetch, seen } = scriptedFetch(() => envelope(503, "service_unavailable", { "retry-after": "30" }));
    const { faucet } = faucetWith(fetch);
    const controller = new AbortController();
    const call = faucet.models.list({ signal: controller.signal });
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    controller.abort();
    await expect(call).rejects.toMatchObject({ name: "AbortError" });
    expect(seen).toHaveLength(1);
  });

  it("retries a failed connection only where nothing can have been billed (GET)", async () => {
    const refused = () => Promise.reject(new TypeError("fetch failed"));
    const post = scriptedFetch(refused);
    const postError = await faucetWith(post.fetch)
      .faucet.chat.create(body)
      .catch((caught: unknown) => caught);
    expect(FaucetError.is(postError, "network_error")).toBe(true);
    expect(post.seen).toHaveLength(1);

    const get = scriptedFetch(refused, refused, () => json(200, { object: "list", data: [] }));
    await faucetWith(get.fetch).faucet.models.list();
    expect(get.seen).toHaveLength(3);
  });
});

describe("the wallet", () => {
  it("topUp starts a checkout with the wire's names and answers its URL", async () => {
    const { fetch, seen } = scriptedFetch(() =>
      json(201, {
        top_up_id: "top_1",
        wallet_id: "usr_1",
        amount_usd: "10.00000000",
        status: "open",
        checkout_session_id: "cs_1",
        checkout_url: "https://checkout.stripe.test/c/pay/cs_1",
        expires_at: null,
      }),
    );
    const params = { amountUsd: "10.00", successUrl: "https://app.test/ok", cancelUrl: "https://app.test/back" };
    expect(await faucetWith(fetch).faucet.wallet.topUp(params)).toEqual({
      url: "https://checkout.stripe.test/c/pay/cs_1",
      topUpId: "top_1",
    });
    expect(seen[0]!.url).toBe("http://api.test/v1/user/stripe/checkout-sessions");
    expect(seen[0]!.body).toEqual({
      amount_usd: "10.00",
      success_url: "https://app.test/ok",
      cancel_url: "https://app.test/back",
    });
  });

  it("history asks for the page it names", async () => {
    const { fetch, seen } = scriptedFetch(() => json(200, { items: [], next_cursor: null }));
    await faucetWith(fetch).faucet.wallet.history({ cursor: "abc", limit: 10 });
    expect(seen[0]!.url).toBe("http://api.test/v1/user/usage?cursor=abc&limit=10");
  });
});

describe("a chat stream", () => {
  it("asks for usage, skips comments, and ends with the priced result", async () => {
    const { fetch, seen } = scriptedFetch(() =>
      sse([
        ": keep-alive\n\n",
        data(chunk("Hel")),
        data(chunk("lo")),
        data({ ...chunk(""), choices: [{ index: 0, delta: {}, finish_reason: "stop" }], modelfaucet: block }),
        data({
          object: "chat.completion.chunk",
          choices: [],
          usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
          modelfaucet: block,
        }),
        data("[DONE]"),
      ]),
    );
    const stream = faucetWith(fetch).faucet.chat.stream(body);
    const chunks = [];
    for await (const received of stream) chunks.push(received);
    expect(chunks).toHaveLength(4);
    expect(seen[0]!.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(seen[0]!.headers.get("x-request-id")).toBe(stream.requestId);
    expect(await stream.final).toMatchObject({
      request_id: stream.requestId,
      content: "Hello",
      finish_reason: "stop",
      usage: { prompt_tokens: 3, completion_tokens: 2 },
      price_usd: block.price_usd,
      route_mode: "platform",
      available_usd: block.available_usd,
    });
  });

  it("is interrupted, not retried, when it ends without [DONE]", async () => {
    const { fetch, seen } = scriptedFetch(() => sse([data(chunk("Hel"))]));
    const stream = faucetWith(fetch).faucet.chat.stream(body);
    const received: unknown[] = [];
    const error = await (async () => {
      for await (const item of stream) received.push(item);
    })().catch((caught: unknown) => caught);
    expect(received).toHaveLength(1);
    expect(error).toBeInstanceOf(StreamInterruptedError);
    await expect(stream.final).rejects.toBe(error);
    expect(seen).toHaveLength(1);
  });

  it("ends at an error event, with what it was billed", async () => {
    const { fetch } = scriptedFetch(() =>
      sse([
        data(chunk("Hel")),
        data({ error: { code: "provider_error", message: "upstream died" }, modelfaucet: block }),
        data(chunk("never read")),
      ]),
    );
    const stream = faucetWith(fetch).faucet.chat.stream(body);
    const error = (await stream.final.catch((caught: unknown) => caught)) as StreamInterruptedError;
    expect(error).toBeInstanceOf(StreamInterruptedError);
    expect(error.code).toBe("provider_error");
    expect(error.modelfaucet).toEqual(block);
  });

  it("after an abort, resolves with what the usage record says was billed", async () => {
    const billed = {
      request_id: "",
      feature_key: "chat",
      route_mode: "platform",
      provider: "mock",
      model: "mock-small",
      input_tokens: 7,
      cached_tokens: 0,
      output_tokens: 1,
      price_usd: "0.00000321",
      created_at: new Date().toISOString(),
    };
    const { fetch, seen } = scriptedFetch(
      (_request, signal) => sse([data(chunk("Hel"))], { stall: true, ...(signal ? { signal } : {}) }),
      (request) =>
        json(200, {
          items: [{ ...billed, request_id: new URL(request.url).searchParams.get("request_id") }],
          next_cursor: null,
        }),
    );
    const stream = faucetWith(fetch).faucet.chat.stream(body);
    for await (const received of stream) {
      expect(received.choices[0]?.delta?.content).toBe("Hel");
      break; // leaving the loop aborts the stream
    }
    expect(await stream.final).toMatchObject({
      content: "Hel",
      finish_reason: "aborted",
      usage: { prompt_tokens: 7, completion_tokens: 1, total_tokens: 8 },
      price_usd: "0.00000321",
      route_mode: "platform",
    });
    expect(seen[1]!.url).toBe(`http://api.test/v1/user/usage?request_id=${stream.requestId}`);
  });
});

describe("FaucetError.is", () => {
  it("knows a FaucetError from another copy of the SDK", async () => {
    // A query makes the module load a second time, as a second bundle would.
    const duplicate = "./errors/faucet-error.js?duplicate";
    const copy = (await import(/* @vite-ignore */ duplicate)) as typeof ErrorModule;
    expect(copy.FaucetError).not.toBe(FaucetError);
    const error = new copy.RateLimitError({ code: "rate_limited", message: "slow down", status: 429 });
    expect(error instanceof FaucetError).toBe(false);
    expect(FaucetError.is(error)).toBe(true);
    expect(FaucetError.is(error, "rate_limited")).toBe(true);
    expect(FaucetError.is(error, "provider_error")).toBe(false);
    expect(FaucetError.is(new Error("plain"))).toBe(false);
  });
});
