/** Longest caller-supplied request id we keep; longer ones are replaced. */
export const MAX_REQUEST_ID_LENGTH = 128;

const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

/**
 * A caller's `x-request-id` is kept only if it is printable ASCII and at most
 * 128 characters: it ends up in logs, metrics exemplars and ledger rows, so it
 * must not carry control characters or unbounded length.
 */
export function isSaneRequestId(value: unknown): value is string {
  return (
    typeof value === "string" &&
    value.length > 0 &&
    value.length <= MAX_REQUEST_ID_LENGTH &&
    value.trim().length > 0 &&
    PRINTABLE_ASCII.test(value)
  );
}
