import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import { errorEnvelope } from "@modelfaucet/core";
import { newRequestId } from "@modelfaucet/crypto";
import type { FastifyBaseLogger } from "fastify";
import { REQUEST_ID_HEADER } from "./request-id.js";

// After the answer is written, the socket is closed if the client has not
// closed it within this time (the rest of what it sent is unreadable anyway).
const LINGER_MS = 1000;

// llhttp's reasons are fixed phrases ("Invalid header value char"); cut anyway.
const MAX_REASON_LENGTH = 100;

interface ParserError extends Error {
  code?: string;
  reason?: string;
}

function describe(error: ParserError): { status: number; message: string } {
  switch (error.code) {
    case "HPE_HEADER_OVERFLOW":
      return { status: 431, message: "The request's headers are larger than this service accepts." };
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return { status: 408, message: "The request did not arrive in time." };
  }
  const reason = (error.reason ?? error.code ?? "unreadable").slice(0, MAX_REASON_LENGTH).replace(/\.$/, "");
  return { status: 400, message: `The request is not valid HTTP: ${reason}.` };
}

/**
 * Node's HTTP parser refuses a request before Fastify sees it (a CR or NUL in
 * a header, oversized headers, Content-Length with Transfer-Encoding, a
 * garbage request line). Instead of Node's bare status line, answer with the
 * error envelope and a fresh request id, then close: the connection's framing
 * can no longer be trusted.
 */
export function clientErrorHandler(log: FastifyBaseLogger) {
  return (error: ParserError, socket: Socket): void => {
    // A reset connection, or one already answered in part: nothing can be written safely.
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (error.code === "ECONNRESET" || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const { status, message } = describe(error);
    const requestId = newRequestId();
    log.debug({ request_id: requestId, status, code: error.code }, "malformed HTTP request refused");
    const body = JSON.stringify(errorEnvelope("invalid_request", message, requestId, { status }));
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        `${REQUEST_ID_HEADER}: ${requestId}\r\n` +
        "content-type: application/json; charset=utf-8\r\n" +
        `content-length: ${Buffer.byteLength(body)}\r\n` +
        "connection: close\r\n\r\n" +
        body,
    );
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  };
}
