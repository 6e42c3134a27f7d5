// Socket-level failures: the server is down, restarting, or not reachable.
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

// SQLSTATEs the server sends while it cannot serve: class 08 (connection
// exception), admin / crash shutdown, starting up or in recovery, and out of
// connection slots. https://www.postgresql.org/docs/current/errcodes-appendix.html
const UNAVAILABLE_SQLSTATES = new Set(["57P01", "57P02", "57P03", "53300"]);
const CONNECTION_EXCEPTION_CLASS = "08";

// pg and pg-pool raise these without a code when a connection dies or never
// comes; their messages are the only thing that tells them apart.
const LOST_CONNECTION_MESSAGES = new Set([
  "Connection terminated unexpectedly",
  "Connection terminated due to connection timeout",
  "timeout exceeded when trying to connect",
  "Client has encountered a connection error and is not queryable",
]);

// Causes are followed this deep, so a cyclic chain cannot loop.
const MAX_CAUSE_DEPTH = 5;

/**
 * The database could not be reached or dropped the connection: a transient
 * outage, to be answered with 503 and retried later — as opposed to a query
 * that failed on its merits (a constraint, a bug). The PostgreSQL adapter
 * throws it in place of the driver's error, which is kept as `cause`.
 */
export class DatabaseUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`database unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "DatabaseUnavailableError";
  }
}

function isConnectionFailureItself(error: object): boolean {
  const code = "code" in error && typeof error.code === "string" ? error.code : undefined;
  if (code !== undefined) {
    if (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code)) return true;
    if (code.length === 5 && code.startsWith(CONNECTION_EXCEPTION_CLASS)) return true;
  }
  return "message" in error && typeof error.message === "string" && LOST_CONNECTION_MESSAGES.has(error.message);
}

/**
 * Whether an error raised by `pg` means the server is unreachable or the
 * connection was lost (refused, reset, timed out, shut down by the
 * administrator, out of slots). Looks through `cause` chains and
 * AggregateErrors (Node reports a refused connection to every address of a
 * host as one).
 */
export function isConnectionFailure(error: unknown, depth = 0): boolean {
  if (typeof error !== "object" || error === null || depth > MAX_CAUSE_DEPTH) return false;
  if (isConnectionFailureItself(error)) return true;
  if (error instanceof AggregateError && error.errors.some((inner) => isConnectionFailure(inner, depth + 1))) {
    return true;
  }
  return "cause" in error && isConnectionFailure(error.cause, depth + 1);
}

/** `error` as the adapter throws it: a DatabaseUnavailableError when the connection failed, else unchanged. */
export function asDatabaseError(error: unknown): unknown {
  return error instanceof DatabaseUnavailableError || !isConnectionFailure(error)
    ? error
    : new DatabaseUnavailableError(error);
}

/** Whether `error`, or an error it was caused by, is a DatabaseUnavailableError. */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current = error;
  for (let depth = 0; depth <= MAX_CAUSE_DEPTH && typeof current === "object" && current !== null; depth += 1) {
    if (current instanceof DatabaseUnavailableError) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
