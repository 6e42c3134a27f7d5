import { AppError, errorEnvelope, validationMessage, type ErrorCode, type ErrorDetails } from "@modelfaucet/core";
import { isDatabaseUnavailable } from "@modelfaucet/db";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { ZodError } from "zod";
import { DATABASE_RETRY_AFTER_SECONDS, type DatabaseAvailability } from "./database-availability.js";
import { drainRequestBody } from "./drain-request-body.js";
import { REQUEST_ID_HEADER } from "./request-id.js";

const MAX_ECHOED_PATH = 200;

// An over-limit body is read to its end before the 413 is sent (so the client
// can read it) when it is at most this many times the limit and arrives within
// DRAIN_MAX_MS; beyond, the connection is cut as Node would.
const DRAIN_LIMIT_FACTOR = 4;
const DRAIN_MAX_MS = 10_000;

/** How a failure is logged: not at all (the caller's mistake), a warning without stack, or the outage watch. */
type LogAs = "none" | "warn" | "database";

interface Classified {
  status: number;
  code: ErrorCode;
  message: string;
  param?: string | undefined;
  details?: ErrorDetails | undefined;
  retryAfterSeconds?: number | undefined;
  logAs: LogAs;
}

/** Optional parts of an envelope beside status, code and message. */
export interface SendErrorOptions {
  param?: string | undefined;
  details?: ErrorDetails | undefined;
}

// Fastify's own errors carry a status and an FST_ code; map the ones a client
// can cause to contract codes with a message that says what to fix.
function classifyFastifyError(error: FastifyError): Classified | undefined {
  const client = (status: number, code: ErrorCode, message: string): Classified => ({
    status,
    code,
    message,
    logAs: "none",
  });
  if (error.validation) return client(400, "invalid_request", `The request is invalid: ${error.message}.`);
  switch (error.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return client(413, "payload_too_large", "The request body is larger than this service accepts.");
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return client(415, "unsupported_media_type", "Unsupported Content-Type; send application/json.");
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return client(400, "invalid_request", "The body is empty but Content-Type is application/json.");
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return client(400, "invalid_request", "Malformed JSON body.");
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return client(400, "invalid_request", "The body's length does not match its Content-Length header.");
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    // e.g. a JSON syntax error from the parser, prototype poisoning.
    const message = error instanceof SyntaxError ? "Malformed JSON body." : error.message;
    return client(status, status === 404 ? "not_found" : "invalid_request", message);
  }
  return undefined;
}

// Failures that need an operator's eye although they are not bugs: server-side
// outages and a policy that leaves a model without a route.
const warns = (error: AppError) => error.status >= 500 || error.code === "no_available_route";

function classify(error: unknown): Classified | undefined {
  if (error instanceof AppError) {
    return {
      status: error.status,
      code: error.code,
      message: error.message,
      param: error.param,
      details: error.details,
      retryAfterSeconds: error.retryAfterSeconds,
      logAs: warns(error) ? "warn" : "none",
    };
  }
  if (error instanceof ZodError) {
    return { status: 400, code: "invalid_request", ...validationMessage(error.issues), logAs: "none" };
  }
  if (isDatabaseUnavailable(error)) {
    return {
      status: 503,
      code: "service_unavailable",
      message: "The database is unavailable; retry after the time in Retry-After.",
      retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
      logAs: "database",
    };
  }
  if (error && typeof error === "object" && "code" in error && typeof error.code === "string") {
    return classifyFastifyError(error as FastifyError);
  }
  return undefined;
}

/** Sends the contract's envelope; the one function every failure goes through. */
export function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: ErrorCode,
  message: string,
  options: SendErrorOptions = {},
): FastifyReply {
  return reply
    .code(status)
    .header(REQUEST_ID_HEADER, request.id)
    .type("application/json; charset=utf-8")
    .send(errorEnvelope(code, message, request.id, { status, ...options }));
}

function causeMessage(error: unknown): string | undefined {
  return error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
}

export interface ErrorEnvelopePluginOptions {
  database: DatabaseAvailability;
}

/**
 * Every failure — thrown AppErrors, validation, body parsing, unknown routes,
 * a database outage, crashes — leaves as `{error: {code, message, request_id,
 * type, param}}`. Unexpected errors are logged at error level with their
 * stack and answered with a bare 500: no stack, no internal message reaches
 * the client. Expected server-side failures are warnings without a stack; a
 * database outage is logged once by the availability watch, not per request.
 */
export const errorEnvelopePlugin = fp<ErrorEnvelopePluginOptions>(
  async (app: FastifyInstance, { database }) => {
    app.setErrorHandler(async (error, request, reply) => {
      const known = classify(error);
      if (!known) {
        request.log.error({ err: error }, "unhandled error");
        return sendError(
          request,
          reply,
          500,
          "internal_error",
          "Internal error; quote the request id when reporting it.",
        );
      }
      if (known.logAs === "database") database.failed(error);
      if (known.logAs === "warn") {
        request.log.warn({ code: known.code, status: known.status, cause: causeMessage(error) }, known.message);
      }
      if (known.code === "payload_too_large") {
        const limit = request.routeOptions.bodyLimit ?? 0;
        await drainRequestBody(request.raw, { maxBytes: limit * DRAIN_LIMIT_FACTOR, maxMs: DRAIN_MAX_MS });
      }
      if (known.retryAfterSeconds !== undefined) reply.header("retry-after", String(known.retryAfterSeconds));
      const { param, details } = known;
      return sendError(request, reply, known.status, known.code, known.message, { param, details });
    });

    app.setNotFoundHandler((request, reply) => {
      const path = request.url.split("?")[0]!.slice(0, MAX_ECHOED_PATH);
      return sendError(request, reply, 404, "not_found", `No route for ${request.method} ${path}.`);
    });
  },
  { name: "modelfaucet-error-envelope" },
);
