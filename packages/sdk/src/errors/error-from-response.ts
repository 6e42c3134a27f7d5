import type { ModelfaucetBlock } from "../wire-types.js";
import {
  BudgetExceededError,
  FaucetError,
  InsufficientBalanceError,
  LocalBridgeUnavailableError,
  NoRouteError,
  ProviderError,
  RateLimitError,
  SessionError,
  StreamInterruptedError,
  type FaucetErrorInit,
} from "./faucet-error.js";
import { retryAfterMs } from "./retry-after.js";

const CLASS_OF_CODE: Record<string, new (init: FaucetErrorInit) => FaucetError> = {
  insufficient_balance: InsufficientBalanceError,
  budget_exceeded: BudgetExceededError,
  invalid_session: SessionError,
  expired_session: SessionError,
  no_available_route: NoRouteError,
  provider_error: ProviderError,
  local_bridge_unavailable: LocalBridgeUnavailableError,
};

/** Codes whose request may succeed when sent again (after Retry-After). */
const RETRYABLE_CODES = new Set(["rate_limited", "provider_error", "service_unavailable", "not_ready"]);

interface EnvelopeError {
  code: string;
  message: string;
  request_id?: string;
  [field: string]: unknown;
}

function envelopeError(body: unknown): EnvelopeError | undefined {
  const error = (body as { error?: unknown } | null)?.error as Partial<EnvelopeError> | undefined;
  return typeof error?.code === "string" && typeof error.message === "string" ? (error as EnvelopeError) : undefined;
}

function detailsOf({ code: _code, message: _message, request_id: _id, ...details }: EnvelopeError) {
  return details;
}

/** The typed error of a failed answer: its envelope's code, or `http_error` when the body is not an envelope. */
export async function errorFromResponse(response: Response): Promise<FaucetError> {
  const headerId = response.headers.get("x-request-id") ?? undefined;
  const text = await response.text().catch(() => "");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const error = envelopeError(body);
  const base = {
    status: response.status,
    requestId: error?.request_id ?? headerId,
    // `x-should-retry: false`: the server knows sending it again cannot help (e.g. a request larger than a limit).
    retryable:
      response.headers.get("x-should-retry") !== "false" &&
      (error ? RETRYABLE_CODES.has(error.code) : response.status === 429 || response.status >= 502),
  };
  if (!error) {
    return new FaucetError({ ...base, code: "http_error", message: `HTTP ${response.status}: ${text.slice(0, 200)}` });
  }
  const init = { ...base, code: error.code, message: error.message, details: detailsOf(error) };
  if (error.code === "rate_limited")
    return new RateLimitError({ ...init, retryAfterMs: retryAfterMs(response.headers) });
  const ErrorClass = CLASS_OF_CODE[error.code] ?? FaucetError;
  return new ErrorClass(init);
}

/**
 * A stream's error event: the stream is over, and what it delivered was
 * billed. Chat sends `{error: {code, message}, modelfaucet}`; Responses an
 * `error` event with the code at the top, or `response.failed` with the
 * response's `error`.
 */
export function streamErrorFromEvent(event: unknown, requestId: string): StreamInterruptedError {
  const data = event as {
    response?: { error?: unknown; modelfaucet?: ModelfaucetBlock };
    modelfaucet?: ModelfaucetBlock;
  };
  const error =
    envelopeError(event) ?? envelopeError({ error: event }) ?? envelopeError({ error: data.response?.error });
  return new StreamInterruptedError({
    code: error?.code ?? "stream_interrupted",
    message: error?.message ?? "The stream ended with an error event.",
    status: 200,
    requestId: error?.request_id ?? requestId,
    details: error ? detailsOf(error) : undefined,
    modelfaucet: data.modelfaucet ?? data.response?.modelfaucet,
  });
}

/** A failure before any answer arrived: the request may or may not have reached the server. */
export function networkError(cause: unknown, requestId: string | undefined): FaucetError {
  return new FaucetError({
    code: "network_error",
    message: `No answer from the server: ${cause instanceof Error ? cause.message : String(cause)}`,
    status: 0,
    requestId,
    retryable: true,
    cause,
  });
}
