import type { ServerResponse } from "node:http";
import { ERROR_STATUS, errorEnvelope, type ErrorCode } from "@modelfaucet/core";

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

/** A failure the caller can act on: a contract code, a whole-sentence message, and the field at fault if one is. */
export class BridgeError extends Error {
  override name = "BridgeError";
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: { status?: number; param?: string } = {},
  ) {
    super(message);
    this.status = options.status ?? ERROR_STATUS[code];
    this.param = options.param;
  }

  readonly param: string | undefined;
}

/** Sends the contract's error envelope (`{error: {code, message, request_id, type, param}}`). */
export function sendError(res: ServerResponse, requestId: string, error: BridgeError): void {
  sendJson(
    res,
    error.status,
    errorEnvelope(error.code, error.message, requestId, { status: error.status, param: error.param }),
  );
}
