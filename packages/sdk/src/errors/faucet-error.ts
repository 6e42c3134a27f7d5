import type { ModelfaucetBlock } from "../wire-types.js";

// A registered symbol: the same in every copy of this module, so `is` works
// when an app ends up with two bundles of the SDK (where `instanceof` fails).
const BRAND = Symbol.for("@modelfaucet/sdk.FaucetError");

/**
 * A code of the error envelope (`insufficient_balance`, `rate_limited`, …), or
 * one of the SDK's own: `network_error` (no answer reached the client),
 * `stream_interrupted` (a stream ended without `[DONE]`), `invalid_response`
 * (an answer that is not the documented shape).
 */
export type FaucetErrorCode = string;

export interface FaucetErrorInit {
  code: FaucetErrorCode;
  message: string;
  /** The HTTP status; 0 when no answer arrived. */
  status: number;
  /** The request's x-request-id, when known. */
  requestId?: string | undefined;
  /** Whether sending the same request again may succeed. */
  retryable?: boolean | undefined;
  cause?: unknown;
  /** The envelope's other fields (`needed_usd`, `available_usd`, `param`, …). */
  details?: Record<string, unknown> | undefined;
}

/** Every failure the SDK reports: a server's error envelope, a network failure, a broken stream. */
export class FaucetError extends Error {
  readonly code: FaucetErrorCode;
  readonly status: number;
  readonly requestId: string | undefined;
  readonly retryable: boolean;
  readonly details: Record<string, unknown>;

  constructor(init: FaucetErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.code = init.code;
    this.status = init.status;
    this.requestId = init.requestId;
    this.retryable = init.retryable ?? false;
    this.details = init.details ?? {};
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** Whether `error` is a FaucetError from any copy of the SDK (with that `code`, when given). */
  static is(error: unknown, code?: FaucetErrorCode): error is FaucetError {
    return (
      typeof error === "object" &&
      error !== null &&
      (error as { [BRAND]?: unknown })[BRAND] === true &&
      (code === undefined || (error as FaucetError).code === code)
    );
  }
}

/** 402 `insufficient_balance`: the wallet cannot cover what the request may cost. */
export class InsufficientBalanceError extends FaucetError {
  /** What the request needed held, when the Gateway said ("0.01230000"). */
  get neededUsd(): string | undefined {
    return stringDetail(this.details.needed_usd);
  }
  /** What the wallet had available, when the Gateway said. */
  get availableUsd(): string | undefined {
    return stringDetail(this.details.available_usd);
  }
}

/** 402 `budget_exceeded`: a provider key's budget is spent. */
export class BudgetExceededError extends FaucetError {}

/** 429 `rate_limited`. */
export class RateLimitError extends FaucetError {
  /** How long the server asked to wait, ms (from `retry-after-ms` or `Retry-After`); undefined when it did not say. */
  readonly retryAfterMs: number | undefined;

  constructor(init: FaucetErrorInit & { retryAfterMs?: number | undefined }) {
    super(init);
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** 401 `invalid_session` / `expired_session`: the session is unknown, revoked or expired (after one refresh). */
export class SessionError extends FaucetError {}

/** `no_available_route`: no route the feature allows can serve the request (409 for a route the policy forbids). */
export class NoRouteError extends FaucetError {}

/** 502 `provider_error`: the upstream failed before answering; nothing was charged. */
export class ProviderError extends FaucetError {}

/** `local_bridge_unavailable`: the request can only run on the user's machine, and no Local Bridge answered. */
export class LocalBridgeUnavailableError extends FaucetError {}

/**
 * A stream that ended without `[DONE]`, or with an error event. What was
 * delivered was billed: `modelfaucet` says what it cost, when the Gateway
 * sent it on the error event.
 */
export class StreamInterruptedError extends FaucetError {
  readonly modelfaucet: ModelfaucetBlock | undefined;

  constructor(init: FaucetErrorInit & { modelfaucet?: ModelfaucetBlock | undefined }) {
    super(init);
    this.modelfaucet = init.modelfaucet;
  }
}

function stringDetail(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
