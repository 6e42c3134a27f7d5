import { isSaneRequestId } from "@modelfaucet/core";
import { EXPIRE_ID_PREFIX, LIMITS, type TransferInput } from "./transfer-input.js";
import type { RefusalCode } from "./transfer-result.js";

const PRINTABLE_ASCII = /^[ -~]+$/;
const CODE = /^[a-z][a-z0-9_]{0,63}$/;
const KINDS = new Set(["posted", "pending", "post_pending", "void_pending"]);

/**
 * Checks what can be checked without the database. Returns the first refusal,
 * or null. Whether a pending transfer's expiry is still ahead is checked only
 * when it is about to be created (see `expiryRefusal`), so that a retry of a
 * hold that already exists still answers `exists`.
 */
export function validateTransfer(input: TransferInput): RefusalCode | null {
  if (!KINDS.has(input.kind)) return "invalid_kind";
  if (!isValidTransferId(input.id)) return "invalid_id";
  if (input.requestId !== undefined && !isSaneRequestId(input.requestId)) return "invalid_request_id";
  if (input.metadata !== undefined && !isValidMetadata(input.metadata)) return "invalid_metadata";
  // A post or void may leave out its code and inherit the pending transfer's.
  const codeOptional = input.kind === "post_pending" || input.kind === "void_pending";
  if (input.code === undefined ? !codeOptional : !(typeof input.code === "string" && CODE.test(input.code))) {
    return "invalid_code";
  }
  if (input.kind === "post_pending" || input.kind === "void_pending") {
    if (!isValidTransferId(input.pendingId)) return "pending_not_found";
    if (input.pendingId === input.id) return "pending_id_must_be_different";
    if (input.kind === "post_pending" && input.amount !== undefined) return amountRefusal(input.amount);
    return null;
  }
  const amount = amountRefusal(input.amount);
  if (amount) return amount;
  if (input.debitAccountId === input.creditAccountId) return "accounts_must_be_different";
  if (input.kind === "pending") return expiryShapeRefusal(input);
  if ("timeoutSeconds" in input || "expiresAt" in input) return "invalid_expiry";
  return null;
}

export function isValidTransferId(id: unknown): id is string {
  return (
    typeof id === "string" &&
    id.length <= LIMITS.maxTransferIdLength &&
    PRINTABLE_ASCII.test(id) &&
    !id.startsWith(EXPIRE_ID_PREFIX)
  );
}

function amountRefusal(amount: unknown): RefusalCode | null {
  if (typeof amount !== "bigint" || amount <= 0n) return "amount_must_be_positive";
  if (amount > LIMITS.maxAmount) return "amount_exceeds_maximum";
  return null;
}

function expiryShapeRefusal(input: { timeoutSeconds?: number; expiresAt?: Date }): RefusalCode | null {
  const { timeoutSeconds, expiresAt } = input;
  if ((timeoutSeconds === undefined) === (expiresAt === undefined)) return "invalid_expiry";
  if (timeoutSeconds !== undefined) {
    const ok = Number.isInteger(timeoutSeconds) && timeoutSeconds > 0 && timeoutSeconds <= LIMITS.maxHoldSeconds;
    return ok ? null : "invalid_expiry";
  }
  return expiresAt instanceof Date && Number.isFinite(expiresAt.getTime()) ? null : "invalid_expiry";
}

/** A hold about to be created must expire after `now` and within the longest hold. */
export function expiryRefusal(expiresAt: Date, now: Date): RefusalCode | null {
  const aheadMs = expiresAt.getTime() - now.getTime();
  return aheadMs > 0 && aheadMs <= LIMITS.maxHoldSeconds * 1000 ? null : "invalid_expiry";
}

function isValidMetadata(metadata: unknown): boolean {
  if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata)) return false;
  try {
    return Buffer.byteLength(JSON.stringify(metadata)) <= LIMITS.maxMetadataBytes;
  } catch {
    return false; // cycles, bigints: not JSON
  }
}
