import { randomUUID } from "node:crypto";
import {
  Agent,
  request as httpRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from "node:http";
import { errorEnvelope } from "@modelfaucet/core";
import type { DashboardLogger } from "./dashboard-logger.js";

/** Headers about one hop's connection, which a proxy must not pass on (RFC 9110 §7.6.1). */
const HOP_BY_HOP = ["connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade"];

/** The request paths that go to the API: everything the pages call is under /v1. */
export const isApiPath = (path: string) => path === "/v1" || path.startsWith("/v1/");

function withoutHopByHop(headers: IncomingMessage["headers"]): OutgoingHttpHeaders {
  const named = String(headers.connection ?? "")
    .split(",")
    .map((name) => name.trim().toLowerCase());
  const kept: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.includes(name) && !named.includes(name)) kept[name] = value;
  }
  return kept;
}

/**
 * Passes the pages' /v1 calls to the Control API, so that the browser sees
 * one origin: the session cookie (SameSite=Strict, no Domain) and the CSRF
 * check (the API compares Origin with the Host it was sent) work as on a
 * single server. The Host header is kept for that reason. Bodies stream
 * through both ways; an API that cannot be reached is a 503 in the API's
 * error envelope, which the pages already know how to show.
 */
export function createApiProxy(apiUrl: URL, logger: DashboardLogger) {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });

  function forward(request: IncomingMessage, response: ServerResponse): void {
    const headers = withoutHopByHop(request.headers);
    const client = request.socket.remoteAddress;
    if (client) headers["x-forwarded-for"] = [request.headers["x-forwarded-for"], client].filter(Boolean).join(", ");
    const upstream = httpRequest(
      { host: apiUrl.hostname, port: apiUrl.port, method: request.method, path: request.url, headers, agent },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, withoutHopByHop(answer.headers));
        answer.pipe(response);
      },
    );
    upstream.on("error", (error) => {
      if (response.headersSent) {
        response.destroy(error);
        return;
      }
      logger.warn({ err: error, path: request.url }, "the dashboard could not reach the API");
      const requestId = `req_${randomUUID().replaceAll("-", "")}`;
      const body = JSON.stringify(
        errorEnvelope(
          "service_unavailable",
          "The dashboard cannot reach the Control API right now. Try again in a moment.",
          requestId,
        ),
      );
      response
        .writeHead(503, {
          "content-type": "application/json; charset=utf-8",
          "retry-after": "5",
          "x-request-id": requestId,
        })
        .end(body);
    });
    // A page that goes away mid-request need not be answered.
    response.on("close", () => {
      if (!response.writableFinished) upstream.destroy();
    });
    request.pipe(upstream);
  }

  return { forward, close: () => agent.destroy() };
}

export type ApiProxy = ReturnType<typeof createApiProxy>;
