import { z } from "zod";

/**
 * Printable ASCII without spaces, at most 64 characters: the ledger transfer
 * ids built from it (`adjustment:<wallet>:<key>`, `test_credit:<wallet>:<key>`)
 * stay within the ledger's 160 printable characters. The same rule holds for
 * the `Idempotency-Key` header a body's `idempotency_key` may replace.
 */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,64}$/;
export const IDEMPOTENCY_KEY_MESSAGE = "must be 1–64 printable ASCII characters without spaces";

/** A body's `idempotency_key` field. */
export const idempotencyKeySchema = z.string().regex(IDEMPOTENCY_KEY_PATTERN, { error: IDEMPOTENCY_KEY_MESSAGE });
