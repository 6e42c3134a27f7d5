import { AppError } from "@modelfaucet/core";
import type { FastifyRequest } from "fastify";
import { z } from "zod";

/**
 * Printable ASCII without spaces, at most 64 characters: the ledger transfer
 * ids built from it (`adjustment:<wallet>:<key>`, `test_credit:<wallet>:<key>`)
 * stay within the ledger's 160 printable characters.
 */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,64}$/;
const MESSAGE = "must be 1–64 printable ASCII characters without spaces";

/** A body's `idempotency_key` field. */
export const idempotencyKeySchema = z.string().regex(IDEMPOTENCY_KEY, { error: MESSAGE });

/**
 * The request's idempotency key: the body's `idempotency_key` (already
 * parsed by idempotencyKeySchema), else the `Idempotency-Key` header, checked
 * by the same rule; undefined when neither is sent.
 */
export function idempotencyKeyOf(request: FastifyRequest, bodyKey: string | undefined): string | undefined {
  if (bodyKey !== undefined) return bodyKey;
  const header = request.headers["idempotency-key"];
  if (header === undefined) return undefined;
  if (typeof header !== "string" || !IDEMPOTENCY_KEY.test(header)) {
    throw new AppError("invalid_request", `Idempotency-Key: ${MESSAGE}.`);
  }
  return header;
}
