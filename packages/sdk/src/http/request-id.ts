/**
 * A request id the SDK sends as `x-request-id`, so a call knows its id before
 * any answer (the Gateway keeps a caller's sane id): `req_` and 24 random hex digits.
 */
export function newRequestId(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(12));
  return `req_${Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}
