import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { DEFAULT_MOCK_BEHAVIOR, mergeMockBehavior, type MockBehavior } from "./mock-behavior.js";
import {
  MOCK_METHOD_NOT_ALLOWED_BODY,
  MOCK_NOT_FOUND_BODY,
  MOCK_RATE_LIMIT_BODY,
  MOCK_SERVER_ERROR_BODY,
  MOCK_TOO_LARGE_BODY,
  mockErrorBody,
  mockUnauthorizedBody,
} from "./mock-error-body.js";
import { MockRequestError, parseMockChatRequest } from "./parse-mock-chat-request.js";
import { renderMockReply, type RenderedMockReply } from "./render-mock-reply.js";
import { CallLog, type MockCalls } from "./mock-call-log.js";
import { Exchange } from "./mock-exchange.js";
import { renderMockEmbeddings } from "./mock-embeddings.js";

export type { MockCalls } from "./mock-call-log.js";

export interface MockUpstreamOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string;
  /** Initial behaviour; unspecified fields take DEFAULT_MOCK_BEHAVIOR. */
  behavior?: Partial<MockBehavior>;
  /** When set, every request must carry `Authorization: Bearer <apiKey>`, else 401. */
  apiKey?: string;
  /** Ids listed by `GET /v1/models`. Chat accepts any model id. Default `mock-mini`, `mock-large`. */
  models?: readonly string[];
}

/** A running mock of OpenAI's Chat Completions API. */
export interface MockUpstream {
  /** `http://host:port`, no trailing slash; the OpenAI base URL is `${url}/v1`. */
  readonly url: string;
  readonly port: number;
  readonly behavior: MockBehavior;
  /** Changes the behaviour for requests that start afterwards; throws RangeError on invalid values. */
  setBehavior(patch: Partial<MockBehavior>): void;
  /**
   * Holds back every chat answer (errors included) until the returned
   * function is called; `latencyMs` then runs from the release. Requests are
   * read and counted in `calls` as they arrive. For tests that need requests
   * in flight together whatever the machine's load.
   */
  hold(): () => void;
  readonly calls: MockCalls;
  resetCalls(): void;
  /** Stops listening and destroys open connections (hung requests included). */
  close(): Promise<void>;
}

/** Bodies larger than this are refused with 413, bytes. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;
/** Rendered replies kept per behaviour; bodies up to MAX_CACHED_BODY_CHARS are cached. */
const MAX_CACHED_REPLIES = 512;
const MAX_CACHED_BODY_CHARS = 64 * 1024;

const JSON_HEADERS = { "content-type": "application/json" } as const;

/**
 * Starts a mock OpenAI upstream: `POST /v1/chat/completions` (JSON and SSE), `POST /v1/embeddings`,
 * `GET /v1/models`. Replies are deterministic in the prompt and usage counts
 * are real o200k_base counts. Fast enough to be the benchmark baseline:
 * replies are rendered once per distinct body and cached.
 */
export async function startMockUpstream(options: MockUpstreamOptions = {}): Promise<MockUpstream> {
  const state = new MockState(mergeMockBehavior(DEFAULT_MOCK_BEHAVIOR, options.behavior ?? {}), options);
  const server = createServer({ keepAlive: true }, (req, res) => state.handle(req, res));
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 65_000;
  server.requestTimeout = 0; // `hang` must really hang
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    get behavior() {
      return state.behavior;
    },
    setBehavior: (patch) => state.setBehavior(patch),
    hold: () => state.hold(),
    calls: state.calls,
    resetCalls: () => state.calls.reset(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

class MockState {
  behavior: MockBehavior;
  readonly calls = new CallLog();
  readonly #expectedAuth: string | undefined;
  readonly #modelsBody: string;
  #replies = new Map<string, RenderedMockReply>();
  #sequence = 0;
  /** Resolves when the current hold is released; undefined when answers are not held. */
  #held: Promise<void> | undefined;

  constructor(behavior: MockBehavior, options: MockUpstreamOptions) {
    this.behavior = behavior;
    this.#expectedAuth = options.apiKey === undefined ? undefined : `Bearer ${options.apiKey}`;
    const data = (options.models ?? ["mock-mini", "mock-large"]).map((id) => ({
      id,
      object: "model",
      created: 1_700_000_000,
      owned_by: "modelfaucet-mock",
    }));
    this.#modelsBody = JSON.stringify({ object: "list", data });
  }

  setBehavior(patch: Partial<MockBehavior>): void {
    this.behavior = mergeMockBehavior(this.behavior, patch);
    this.#replies = new Map();
  }

  hold(): () => void {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    this.#held = held;
    return () => {
      if (this.#held === held) this.#held = undefined;
      release();
    };
  }

  /** Runs a chat answer after `delayMs`, counted from the end of the current hold if there is one. */
  #answer(exchange: Exchange, delayMs: number, action: () => void): void {
    if (this.#held === undefined) exchange.after(delayMs, action);
    else void this.#held.then(() => exchange.after(delayMs, action));
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? "/";
    const query = url.indexOf("?");
    const path = query === -1 ? url : url.slice(0, query);
    if (this.#expectedAuth !== undefined && req.headers.authorization !== this.#expectedAuth) {
      const presented = (req.headers.authorization ?? "").replace(/^Bearer /, "");
      sendJson(res, 401, mockUnauthorizedBody(presented));
      return;
    }
    if (path === "/v1/chat/completions") {
      if (req.method !== "POST") sendJson(res, 405, MOCK_METHOD_NOT_ALLOWED_BODY);
      else readBody(req, res, (text) => this.#chat(req, res, text));
    } else if (path === "/v1/embeddings") {
      if (req.method !== "POST") sendJson(res, 405, MOCK_METHOD_NOT_ALLOWED_BODY);
      else readBody(req, res, (text) => this.#embeddings(req, res, text));
    } else if (path === "/v1/models") {
      if (req.method !== "GET") sendJson(res, 405, MOCK_METHOD_NOT_ALLOWED_BODY);
      else sendJson(res, 200, this.#modelsBody);
    } else {
      sendJson(res, 404, MOCK_NOT_FOUND_BODY);
    }
  }

  #chat(req: IncomingMessage, res: ServerResponse, text: string): void {
    this.calls.record(text, req.headers);
    const behavior = this.behavior;
    const exchange = new Exchange(res, this.calls);
    let reply: RenderedMockReply;
    try {
      reply = this.#reply(text, behavior);
    } catch (error) {
      if (!(error instanceof MockRequestError)) throw error;
      const body = mockErrorBody(error.message, "invalid_request_error", null, error.param);
      this.#answer(exchange, behavior.latencyMs, () => sendJson(res, 400, body));
      return;
    }
    switch (behavior.failure) {
      case "hang":
        return; // the socket stays open until the client gives up or the mock closes
      case "http_500":
        this.#answer(exchange, behavior.latencyMs, () => sendJson(res, 500, MOCK_SERVER_ERROR_BODY));
        return;
      case "http_429":
        this.#answer(exchange, behavior.latencyMs, () =>
          sendJson(res, 429, MOCK_RATE_LIMIT_BODY, { "retry-after": String(behavior.retryAfterSeconds) }),
        );
        return;
      default: {
        const id = ++this.#sequence;
        const cut = behavior.failure === "mid_stream";
        this.#answer(exchange, behavior.latencyMs, () =>
          reply.stream ? exchange.stream(reply, id, behavior.chunkDelayMs, cut) : exchange.json(reply, id, cut),
        );
      }
    }
  }

  /** Embeddings honour `latencyMs` and the `http_500` / `http_429` / `hang` failures; the stream failures do not apply. */
  #embeddings(req: IncomingMessage, res: ServerResponse, text: string): void {
    this.calls.record(text, req.headers);
    const behavior = this.behavior;
    const exchange = new Exchange(res, this.calls);
    if (behavior.failure === "hang") return;
    exchange.after(behavior.latencyMs, () => {
      if (behavior.failure === "http_500") return sendJson(res, 500, MOCK_SERVER_ERROR_BODY);
      if (behavior.failure === "http_429") {
        return sendJson(res, 429, MOCK_RATE_LIMIT_BODY, { "retry-after": String(behavior.retryAfterSeconds) });
      }
      try {
        sendJson(res, 200, renderMockEmbeddings(text));
      } catch (error) {
        if (!(error instanceof MockRequestError)) throw error;
        sendJson(res, 400, mockErrorBody(error.message, "invalid_request_error", null, error.param));
      }
    });
  }

  #reply(text: string, behavior: MockBehavior): RenderedMockReply {
    const cached = this.#replies.get(text);
    if (cached !== undefined) return cached;
    const reply = renderMockReply(parseMockChatRequest(text), behavior);
    if (text.length <= MAX_CACHED_BODY_CHARS) {
      if (this.#replies.size >= MAX_CACHED_REPLIES) this.#replies = new Map();
      this.#replies.set(text, reply);
    }
    return reply;
  }
}

function readBody(req: IncomingMessage, res: ServerResponse, onBody: (text: string) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  });
  req.on("end", () => {
    if (size > MAX_BODY_BYTES) sendJson(res, 413, MOCK_TOO_LARGE_BODY);
    else onBody(chunks.length === 1 ? (chunks[0] as Buffer).toString("utf8") : Buffer.concat(chunks).toString("utf8"));
  });
  req.on("error", () => res.destroy());
}

function sendJson(res: ServerResponse, status: number, body: string, extra?: Record<string, string>): void {
  res.writeHead(status, { ...JSON_HEADERS, "content-length": Buffer.byteLength(body), ...extra });
  res.end(body);
}
