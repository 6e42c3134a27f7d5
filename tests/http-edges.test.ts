import { randomBytes } from "node:crypto";
import { connect } from "node:net";
import { gzipSync } from "node:zlib";
import { createTestDatabase, type TestDatabase } from "@modelfaucet/db/testing";
import { captureLogger } from "@modelfaucet/server-kit/testing";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRevenueStack, type RevenueStack } from "./helpers/revenue-stack.js";
import { testApi } from "./helpers/services.js";

// The edges of HTTP every client meets sooner or later: an over-limit body,
// a request Node's parser refuses, a compressed body, and errors shaped as
// OpenAI's so the official client's typed errors are complete.

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

const portOf = (url: string) => Number(new URL(url).port);
const ENVELOPE_KEYS = ["code", "message", "param", "request_id", "type"];

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function parseRaw(text: string): RawResponse {
  const [head = "", body = ""] = text.split("\r\n\r\n", 2);
  const [statusLine = "", ...lines] = head.split("\r\n");
  const headers = Object.fromEntries(
    lines.map((line) => [line.slice(0, line.indexOf(":")).toLowerCase(), line.slice(line.indexOf(":") + 1).trim()]),
  );
  return { status: Number(statusLine.split(" ")[1]), headers, body };
}

/** Writes `head` and `body` in 64 KiB pieces, each after the last was accepted, and only then reads the answer. */
async function writeAllThenRead(port: number, head: string, body: Buffer): Promise<RawResponse> {
  const socket = connect(port, "127.0.0.1");
  socket.pause();
  await new Promise((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  const write = (data: string | Buffer) =>
    new Promise<void>((resolve, reject) => socket.write(data, (error) => (error ? reject(error) : resolve())));
  let answer = "";
  try {
    await write(head);
    for (let sent = 0; sent < body.length; sent += 64 * 1024) await write(body.subarray(sent, sent + 64 * 1024));
    socket.on("data", (chunk: Buffer) => (answer += chunk.toString("latin1")));
    socket.resume();
    await new Promise((resolve) => socket.once("close", resolve));
  } finally {
    socket.destroy();
  }
  return parseRaw(answer);
}

/** Sends raw bytes and reads until the server closes the connection. */
async function exchangeRaw(port: number, request: string): Promise<RawResponse & { closedMs: number }> {
  const socket = connect(port, "127.0.0.1");
  socket.on("error", () => {});
  let answer = "";
  socket.on("data", (chunk: Buffer) => (answer += chunk.toString("latin1")));
  const started = Date.now();
  socket.write(request);
  await new Promise((resolve) => socket.once("close", resolve));
  return { ...parseRaw(answer), closedMs: Date.now() - started };
}

describe("an over-limit body", () => {
  const limit = 4 * 1024 * 1024;
  let gateway: RevenueStack;
  beforeAll(async () => {
    gateway = await startRevenueStack(database.db, { GATEWAY_BODY_LIMIT_BYTES: String(limit) });
  });
  afterAll(() => gateway.close());

  it("is read to its end before the 413, so a client that writes everything first reads the envelope", async () => {
    const body = Buffer.alloc(limit + 1024 * 1024, "a");
    const head =
      "POST /v1/chat/completions HTTP/1.1\r\nhost: gateway\r\ncontent-type: application/json\r\n" +
      `x-request-id: big-raw\r\ncontent-length: ${body.length}\r\n\r\n`;
    const response = await writeAllThenRead(portOf(gateway.gatewayUrl), head, body);
    expect(response.status).toBe(413);
    expect(response.headers["x-request-id"]).toBe("big-raw");
    expect(JSON.parse(response.body)).toMatchObject({
      error: { code: "payload_too_large", request_id: "big-raw", type: "invalid_request_error", param: null },
    });
  });

  it("reaches Node's fetch as the 413 envelope, sized or chunked", async () => {
    const blob = randomBytes(limit).toString("base64");
    const chunked = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(JSON.stringify({ blob })));
        controller.close();
      },
    });
    for (const [name, body] of [
      ["sized", JSON.stringify({ blob })],
      ["chunked", chunked],
    ] as const) {
      const response = await fetch(`${gateway.gatewayUrl}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-request-id": `big-${name}` },
        body,
        duplex: "half",
        signal: AbortSignal.timeout(15_000),
      } as RequestInit);
      expect(response.status).toBe(413);
      expect(response.headers.get("x-request-id")).toBe(`big-${name}`);
      expect(((await response.json()) as { error: object }).error).toMatchObject({
        code: "payload_too_large",
        request_id: `big-${name}`,
      });
    }
  });

  it("reaches the openai client as a typed 413 with the request id", async () => {
    const { token } = await gateway.user("big-body-user");
    const error = await gateway
      .client(token)
      .chat.completions.create({ model: "mock-small", messages: [{ role: "user", content: "y".repeat(limit) }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    const apiError = error as InstanceType<typeof OpenAI.APIError>;
    expect(apiError.status).toBe(413);
    expect(apiError.code).toBe("payload_too_large");
    expect(apiError.requestID).toMatch(/^req_[0-9a-f]{24}$/);
  });

  it("fits an ordinary base64 photo under the default limit", async () => {
    const { token } = await stack.user("photo-user", "1.00");
    // A 5 MB JPEG is 6.7 MB as base64; the default limit is 8 MiB.
    const photo = `data:image/jpeg;base64,${randomBytes(5 * 1000 * 1000).toString("base64")}`;
    const response = await fetch(`${stack.gatewayUrl}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({
        model: "mock-small",
        max_tokens: 16,
        messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: photo } }] }],
      }),
    });
    expect(response.status).not.toBe(413);
  });
});

describe("a request Node's HTTP parser refuses", () => {
  const cases: Array<[string, string, number]> = [
    ["a CR in a header value", "GET /health HTTP/1.1\r\nhost: x\r\nx-note: a\rb\r\n\r\n", 400],
    ["a NUL in a header value", "GET /health HTTP/1.1\r\nhost: x\r\nx-note: a\0b\r\n\r\n", 400],
    ["a 20 KB header", `GET /health HTTP/1.1\r\nhost: x\r\nx-note: ${"a".repeat(20_000)}\r\n\r\n`, 431],
    [
      "both Content-Length and Transfer-Encoding",
      "POST /v1/sessions HTTP/1.1\r\nhost: x\r\ncontent-length: 5\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n",
      400,
    ],
    ["a garbage request line", "HELLO THERE\r\n\r\n", 400],
    ["TLS spoken to a plain port", "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 400],
  ];

  it.each(cases)("answers %s with the envelope and a generated request id, then closes", async (_name, raw, status) => {
    for (const url of [stack.apiUrl, stack.gatewayUrl]) {
      const response = await exchangeRaw(portOf(url), raw);
      expect(response.status).toBe(status);
      const requestId = response.headers["x-request-id"];
      expect(requestId).toMatch(/^req_[0-9a-f]{24}$/);
      expect(response.headers["connection"]).toBe("close");
      const { error } = JSON.parse(response.body) as { error: Record<string, unknown> };
      expect(Object.keys(error).sort()).toEqual(ENVELOPE_KEYS);
      expect(error).toMatchObject({ code: "invalid_request", request_id: requestId, type: "invalid_request_error" });
      expect(error.message).toMatch(/^[A-Z].*\.$/);
      expect(response.closedMs).toBeLessThan(2000);
    }
  });
});

describe("a compressed body", () => {
  it("is 415 naming the Content-Encoding, not a JSON parse error", async () => {
    const { token } = await stack.user("gzip-user", "1.00");
    const body = gzipSync(JSON.stringify({ model: "mock-small", messages: [{ role: "user", content: "hi" }] }));
    for (const [url, path] of [
      [stack.gatewayUrl, "/v1/chat/completions"],
      [stack.apiUrl, "/v1/sessions"],
    ] as const) {
      const response = await fetch(`${url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", "content-encoding": "gzip", authorization: `Bearer ${token}` },
        body,
      });
      expect(response.status).toBe(415);
      const { error } = (await response.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe("unsupported_media_type");
      expect(error.message).toBe('Unsupported Content-Encoding "gzip"; send the body uncompressed.');
    }
  });
});

describe("errors shaped like OpenAI's", () => {
  const apiErrorOf = async (promise: Promise<unknown>) => {
    const error = await promise.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    return error as InstanceType<typeof OpenAI.APIError>;
  };

  it("carry type and param, so the openai client's typed errors are complete", async () => {
    const unauthenticated = await apiErrorOf(
      stack.client("mf_sess_not-a-session").chat.completions.create({ model: "mock-small", messages: [] }),
    );
    expect(unauthenticated).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(unauthenticated).toMatchObject({ type: "authentication_error", param: null });
    expect(unauthenticated.requestID).toBe((unauthenticated.error as { request_id: string }).request_id);

    const { token } = await stack.user("typed-errors", "1.00");
    const invalid = await apiErrorOf(
      stack.client(token).chat.completions.create({
        model: "mock-small",
        max_tokens: -1,
        messages: [
          { role: "user", content: "hi" },
          { role: "nobody" as "user", content: "hi" },
        ],
      }),
    );
    expect(invalid).toBeInstanceOf(OpenAI.BadRequestError);
    expect(invalid).toMatchObject({ type: "invalid_request_error", code: "invalid_request" });
    // Every failing field is named, each in a sentence of its own; the first is `param`.
    expect(invalid.param).toMatch(/^(max_tokens|messages\.1\.role)$/);
    const message = (invalid.error as { message: string }).message;
    expect(message).toContain("max_tokens: ");
    expect(message).toContain("messages.1.role: ");
    expect(message).toMatch(/\.$/);

    const missing = await apiErrorOf(stack.client(token).models.retrieve("no-such-model"));
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
    expect(missing.type).toBe("not_found_error");
  });

  it("402 says how much the request needed held and how much the wallet has", async () => {
    const { token } = await stack.user("short-wallet", "0.00000100");
    const refused = await apiErrorOf(
      stack.client(token).chat.completions.create({
        model: "mock-small",
        max_tokens: 1000,
        messages: [{ role: "user", content: "hi" }],
      }),
    );
    expect(refused.status).toBe(402);
    expect(refused).toMatchObject({ code: "insufficient_balance", type: "insufficient_quota", param: null });
    const { needed_usd: needed, available_usd: available } = refused.error as Record<string, string>;
    expect(available).toBe("0.00000100");
    expect(needed).toMatch(/^\d+\.\d{8}$/);
    expect(Number(needed)).toBeGreaterThan(Number(available));
    expect((refused.error as { message: string }).message).toContain(`${needed} USD`);
  });
});

describe("an expected server-side failure", () => {
  it("is logged as a warning with its code, without a stack", async () => {
    const { logger, lines } = captureLogger("info");
    const api = await testApi(database.db, {}, { logger });
    try {
      const { token } = await stack.user("payments-user");
      const response = await api.inject({
        method: "POST",
        url: "/v1/user/stripe/checkout-sessions",
        headers: { authorization: `Bearer ${token}`, "x-request-id": "no-payments" },
        payload: { amount_usd: "5.00", success_url: "https://app.example/ok", cancel_url: "https://app.example/no" },
      });
      expect(response.statusCode).toBe(503);
      expect(response.json().error).toMatchObject({ code: "payments_disabled", type: "server_error" });
      logger.flush();
      const logged = lines
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((entry) => entry.request_id === "no-payments");
      expect(logged).toEqual([expect.objectContaining({ level: 40, code: "payments_disabled", status: 503 })]);
      expect(JSON.stringify(logged)).not.toContain("stack");
    } finally {
      await api.close();
    }
  });
});
