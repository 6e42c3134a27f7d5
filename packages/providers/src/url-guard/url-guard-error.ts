import type { BlockedAddressCategory } from "./classify-address.js";
import type { UrlGuardReason, UrlGuardRefusal } from "./url-guard-reason.js";

/** The `code` of every error the guarded connector raises for a refused destination. */
export const URL_GUARD_ERROR_CODE = "ERR_URL_GUARD_BLOCKED";

/**
 * A connection the guard refused before any socket was opened. It carries a
 * stable `code` so transport-error classification sees a non-retryable
 * connection failure (the same host will be refused again).
 */
export class UrlGuardError extends Error {
  readonly code = URL_GUARD_ERROR_CODE;
  readonly reason: UrlGuardReason;
  readonly category: BlockedAddressCategory | undefined;
  readonly hostname: string;

  constructor(hostname: string, refusal: UrlGuardRefusal, options: { cause?: unknown } = {}) {
    super(`Connection to "${hostname}" refused: ${refusal.message}`, options);
    this.name = "UrlGuardError";
    this.reason = refusal.reason;
    this.category = refusal.category;
    this.hostname = hostname;
  }
}

export function isUrlGuardError(error: unknown): error is UrlGuardError {
  return error instanceof UrlGuardError;
}
