import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A request the fake Gemini server received. */
export interface FakeGeminiRequest {
  readonly method: string;
  /** Path and query, as sent. */
  readonly url: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: unknown;
}

export interface FakeGemini {
  /** `http://127.0.0.1:port`, the provider's `baseUrl`. */
  readonly baseUrl: string;
  readonly requests: FakeGeminiRequest[];
  close(): Promise<void>;
}

/**
 * A local stand-in for generativelanguage.googleapis.com replaying fixtures:
 * every request is recorded (method, path, headers, JSON body) and answered
 * by `answer`. Listens on 127.0.0.1, port 0. Tests only.
 */
export async function startFakeGemini(
  answer: (request: FakeGeminiRequest, res: ServerResponse) => void,
): Promise<FakeGemini> {
  const requests: FakeGeminiRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const request = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: text === "" ? undefined : (JSON.parse(text) as unknown),
      };
      requests.push(request);
      answer(request, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A fixture of this folder's `__fixtures__`, as text. */
export function geminiFixture(name: string): string {
  return readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), "utf8");
}

/** Answers JSON with a status. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "application/json; charset=UTF-8", ...headers });
  res.end(body);
}

/** Answers an event stream; with `cut`, the socket is destroyed after the body is written (no clean end). */
export function sendEvents(res: ServerResponse, body: string, cut = false): void {
  res.writeHead(200, { "content-type": "text/event-stream" });
  if (!cut) {
    res.end(body);
    return;
  }
  res.write(body, () => setTimeout(() => res.socket?.destroy(), 20));
}
