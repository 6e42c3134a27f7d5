/**
 * Stable error codes of the public contract, each with the HTTP status it is
 * sent with by default. Clients branch on `code`; the status may be narrowed
 * by the raiser where CONTRACT.md allows two (e.g. `invalid_app` 404 or 403).
 */
export const ERROR_STATUS = {
  invalid_request: 400,
  secret_validation_failed: 400,
  /** The prompt plus the output limit exceed the model's context window (OpenAI's code). */
  context_length_exceeded: 400,
  invalid_session: 401,
  expired_session: 401,
  unauthorized: 401,
  insufficient_balance: 402,
  budget_exceeded: 402,
  forbidden: 403,
  invalid_app: 404,
  feature_not_found: 404,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  no_available_route: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
  provider_error: 502,
  not_ready: 503,
  /** A dependency every instance shares (the database) is unreachable; retry after `Retry-After`. */
  service_unavailable: 503,
  local_bridge_unavailable: 503,
  /** Stripe is not configured on this server (no STRIPE_SECRET_KEY / STRIPE_WEBHOOK_SECRET). */
  payments_disabled: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(ERROR_STATUS, value);
}
