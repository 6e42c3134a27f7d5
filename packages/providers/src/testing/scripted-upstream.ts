import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A request the scripted upstream received. */
export interface ScriptedRequest {
  readonly headers: IncomingMessage["headers"];
  readonly body: unknown;
}

export interface ScriptedUpstream {
  readonly baseUrl: string;
  readonly requests: ScriptedRequest[];
  close(): Promise<void>;
}

/**
 * A test server replaying fixed answers (fixtures), for shapes the mock does
 * not produce: malformed bodies, error events inside a stream, other servers'
 * dialects. Tests only.
 */
export async function startScriptedUpstream(
  answer: (request: ScriptedRequest, res: ServerResponse) => void,
): Promise<ScriptedUpstream> {
  const requests: ScriptedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const request = { headers: req.headers, body: text === "" ? undefined : (JSON.parse(text) as unknown) };
      requests.push(request);
      answer(request, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A fixture file next to the tests, read as text. */
export function readFixture(url: URL): string {
  return readFileSync(url, "utf8");
}

/** Writes an event-stream body. */
export function sendEventStream(res: ServerResponse, body: string): void {
  res.writeHead(200, { "content-type": "text/event-stream" });
  res.end(body);
}
