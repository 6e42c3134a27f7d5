import type { IncomingMessage } from "node:http";
import { BridgeError } from "./http-reply.js";

/** Largest request body, bytes: as the Gateway's. */
export const MAX_REQUEST_BODY_BYTES = 8 * 1024 * 1024;
/** How much of an oversized body is read (and dropped) so the client can read the 413 instead of a reset. */
const MAX_DRAINED_BYTES = 64 * 1024 * 1024;

/**
 * The request's JSON object. An oversized body is read to its end (up to a
 * bound) and dropped, then refused with 413; a compressed body is 415; a
 * body that is not a JSON object is 400.
 */
export async function readRequestJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const encoding = req.headers["content-encoding"];
  if (encoding !== undefined && encoding !== "identity") {
    req.resume();
    throw new BridgeError("unsupported_media_type", "Send the body uncompressed (no Content-Encoding).");
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_DRAINED_BYTES) break;
    if (size <= MAX_REQUEST_BODY_BYTES) chunks.push(chunk);
  }
  if (size > MAX_REQUEST_BODY_BYTES) {
    throw new BridgeError("payload_too_large", `The body is larger than ${MAX_REQUEST_BODY_BYTES} bytes.`);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks, size).toString("utf8"));
  } catch {
    throw new BridgeError("invalid_request", "The body must be JSON.");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new BridgeError("invalid_request", "The body must be a JSON object.");
  }
  return body as Record<string, unknown>;
}
