import type { ErrorDetails } from "./envelope.js";
import { ERROR_STATUS, type ErrorCode } from "./error-code.js";

export interface AppErrorOptions {
  /** Overrides the code's default status where the contract allows another one. */
  status?: number;
  /** Whether the same request may succeed if retried unchanged. */
  retryable?: boolean;
  /** Seconds the caller should wait before retrying (sent as `Retry-After`). */
  retryAfterSeconds?: number;
  /** The request field at fault, as a path (`messages.0.content`); sent as `param`. */
  param?: string;
  /** Facts sent in the envelope beside the message (e.g. `needed_usd`, `available_usd`). */
  details?: ErrorDetails;
  cause?: unknown;
}

/**
 * An operating error: something the caller or the environment did, with a
 * stable code from the contract. Its message is safe to show to the client,
 * so it must never contain secrets or upstream bodies.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryable: boolean;
  readonly retryAfterSeconds: number | undefined;
  readonly param: string | undefined;
  readonly details: ErrorDetails | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.status = options.status ?? ERROR_STATUS[code];
    this.retryable = options.retryable ?? false;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.param = options.param;
    this.details = options.details;
  }
}
