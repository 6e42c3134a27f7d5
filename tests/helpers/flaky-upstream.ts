import { createServer, request, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One scripted refusal: the status, and the `Retry-After` header (seconds) when given. */
export interface ScriptedFailure {
  status: number;
  retryAfterSeconds?: number;
}

/**
 * An upstream in front of another (a mock): it answers the next scripted
 * failures itself, one per request, and passes every other request through
 * unchanged (streams included) — so "fails once, then answers" is exact,
 * with no timing involved.
 */
export interface FlakyUpstream {
  url: string;
  /** Requests received, failed or passed through. */
  readonly requests: number;
  /** Queues failures for the next requests, in order. */
  failNext(...failures: ScriptedFailure[]): void;
  close(): Promise<void>;
}

export async function startFlakyUpstream(targetUrl: string): Promise<FlakyUpstream> {
  const script: ScriptedFailure[] = [];
  let requests = 0;

  function refuse(req: IncomingMessage, res: ServerResponse, failure: ScriptedFailure) {
    req.resume();
    req.on("end", () => {
      res.writeHead(failure.status, {
        "content-type": "application/json",
        ...(failure.retryAfterSeconds === undefined ? {} : { "retry-after": String(failure.retryAfterSeconds) }),
      });
      res.end(JSON.stringify({ error: { message: "scripted failure", type: "server_error", code: null } }));
    });
  }

  function passThrough(req: IncomingMessage, res: ServerResponse) {
    const forwarded = request(
      new URL(req.url ?? "/", targetUrl),
      { method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on("error", () => res.destroy());
    req.pipe(forwarded);
  }

  const server = createServer((req, res) => {
    requests += 1;
    const failure = script.shift();
    if (failure) refuse(req, res, failure);
    else passThrough(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get requests() {
      return requests;
    },
    failNext: (...failures) => script.push(...failures),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
