import { readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/** A request the fake received. */
export interface FakeAnthropicRequest {
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
}

/** What the fake answers to the next request: a status, extra headers and a body (JSON or SSE text). */
export interface FakeAnthropicReply {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** A string is sent as `text/event-stream`, anything else as JSON. */
  readonly body: unknown;
}

export interface FakeAnthropic {
  /** `http://127.0.0.1:port`: the adapter's `baseUrl`. */
  readonly baseUrl: string;
  readonly requests: FakeAnthropicRequest[];
  /** Sets the reply to every following request. */
  reply(reply: FakeAnthropicReply): void;
  close(): Promise<void>;
}

/**
 * A local stand-in for api.anthropic.com replaying fixtures: records every
 * request (method, path, headers, JSON body) and answers with the reply set
 * last; a request without the expected `x-api-key` gets Anthropic's 401.
 * Tests only.
 */
export async function startFakeAnthropic(apiKey: string): Promise<FakeAnthropic> {
  const requests: FakeAnthropicRequest[] = [];
  let next: FakeAnthropicReply = {
    status: 500,
    body: { type: "error", error: { type: "api_error", message: "no reply set" } },
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      requests.push({
        method: req.method,
        url: req.url,
        headers: req.headers,
        body: text === "" ? undefined : JSON.parse(text),
      });
      const reply: FakeAnthropicReply =
        req.headers["x-api-key"] === apiKey
          ? next
          : { status: 401, body: readJsonFixture("error-authentication.json") };
      const sse = typeof reply.body === "string";
      res.writeHead(reply.status ?? 200, {
        "content-type": sse ? "text/event-stream; charset=utf-8" : "application/json",
        "request-id": `req_fake_${requests.length}`,
        ...reply.headers,
      });
      res.end(sse ? reply.body : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    reply: (reply) => {
      next = reply;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A fixture of `__fixtures__/`, as text. */
export function readFixtureText(name: string): string {
  return readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), "utf8");
}

/** A JSON fixture of `__fixtures__/`, parsed. */
export function readJsonFixture(name: string): unknown {
  return JSON.parse(readFixtureText(name));
}
