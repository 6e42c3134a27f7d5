import { AppError, errorEnvelope, type ErrorCode } from "@modelfaucet/core";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { ZodError } from "zod";
import { REQUEST_ID_HEADER } from "./request-id.js";

const MAX_ECHOED_PATH = 200;

interface Classified {
  status: number;
  code: ErrorCode;
  message: string;
}

// Fastify's own errors carry a status and an FST_ code; map the ones a client
// can cause to contract codes with a message that says what to fix.
function classifyFastifyError(error: FastifyError): Classified | undefined {
  if (error.validation) return { status: 400, code: "invalid_request", message: `Invalid request: ${error.message}` };
  switch (error.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return { status: 413, code: "payload_too_large", message: "Request body is larger than this service accepts." };
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return {
        status: 415,
        code: "unsupported_media_type",
        message: "Unsupported Content-Type; send application/json.",
      };
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return { status: 400, code: "invalid_request", message: "Body is empty but Content-Type is application/json." };
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return { status: 400, code: "invalid_request", message: "Malformed JSON body." };
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    // e.g. a JSON syntax error from the parser, a bad content-length, prototype poisoning.
    const message = error instanceof SyntaxError ? "Malformed JSON body." : error.message;
    return { status, code: status === 404 ? "not_found" : "invalid_request", message };
  }
  return undefined;
}

function classify(error: unknown): Classified | undefined {
  if (error instanceof AppError) return { status: error.status, code: error.code, message: error.message };
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
    return { status: 400, code: "invalid_request", message: `${where}${issue?.message ?? "invalid request"}` };
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
): FastifyReply {
  return reply
    .code(status)
    .header(REQUEST_ID_HEADER, request.id)
    .type("application/json; charset=utf-8")
    .send(errorEnvelope(code, message, request.id));
}

/**
 * Every failure — thrown AppErrors, validation, body parsing, unknown routes,
 * crashes — leaves as `{error: {code, message, request_id}}`. Unexpected
 * errors are logged with their stack and answered with a bare 500: no stack,
 * no internal message reaches the client.
 */
export const errorEnvelopePlugin = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((error, request, reply) => {
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
      if (known.status >= 500) request.log.error({ err: error }, known.message);
      if (error instanceof AppError && error.retryAfterSeconds !== undefined) {
        reply.header("retry-after", String(error.retryAfterSeconds));
      }
      return sendError(request, reply, known.status, known.code, known.message);
    });

    app.setNotFoundHandler((request, reply) => {
      const path = request.url.split("?")[0]!.slice(0, MAX_ECHOED_PATH);
      return sendError(request, reply, 404, "not_found", `No route for ${request.method} ${path}.`);
    });
  },
  { name: "modelfaucet-error-envelope" },
);
