import { IDEMPOTENCY_KEY_MESSAGE, IDEMPOTENCY_KEY_PATTERN } from "@modelfaucet/contract";
import { AppError } from "@modelfaucet/core";
import type { FastifyRequest } from "fastify";

/**
 * The request's idempotency key: the body's `idempotency_key` (already
 * parsed by the contract's idempotencyKeySchema), else the `Idempotency-Key`
 * header, checked by the same rule; undefined when neither is sent.
 */
export function idempotencyKeyOf(request: FastifyRequest, bodyKey: string | undefined): string | undefined {
  if (bodyKey !== undefined) return bodyKey;
  const header = request.headers["idempotency-key"];
  if (header === undefined) return undefined;
  if (typeof header !== "string" || !IDEMPOTENCY_KEY_PATTERN.test(header)) {
    throw new AppError("invalid_request", `Idempotency-Key: ${IDEMPOTENCY_KEY_MESSAGE}.`);
  }
  return header;
}
