/**
 * How the mock fails, if at all (chat completions only; `/v1/models` always works):
 * - `none`: answers normally;
 * - `http_500`: OpenAI-shaped `server_error` body, status 500;
 * - `http_429`: `rate_limit_exceeded` body, status 429, `Retry-After: retryAfterSeconds`;
 * - `mid_stream`: sends part of the answer then destroys the socket (a stream:
 *   the role chunk and half the content chunks, at least one; a JSON body: half its bytes);
 * - `omit_usage`: never sends usage, even when asked;
 * - `hang`: reads the request and never answers.
 */
export type MockFailureMode = "none" | "http_500" | "http_429" | "mid_stream" | "omit_usage" | "hang";

/** Every MockFailureMode, for validation and test tables. */
export const MOCK_FAILURE_MODES: readonly MockFailureMode[] = [
  "none",
  "http_500",
  "http_429",
  "mid_stream",
  "omit_usage",
  "hang",
];

/** The mock's behaviour; read at the start of each request, so a change applies to requests that start after it. */
export interface MockBehavior {
  /** Delay before the first byte of every chat answer (errors included), ms. 0–600 000. */
  readonly latencyMs: number;
  /** Content chunks in a stream (fewer when the reply has fewer tokens). 1–10 000. */
  readonly chunkCount: number;
  /** Delay between two stream chunks, ms. 0–60 000. */
  readonly chunkDelayMs: number;
  readonly failure: MockFailureMode;
  /** `Retry-After` sent with `http_429`, seconds. 0–86 400. */
  readonly retryAfterSeconds: number;
  /** Length of a full reply, tokens, before `max_completion_tokens` / `max_tokens` truncate it. 0–100 000. */
  readonly replyTokens: number;
  /** Prompt tokens reported as cached (`prompt_tokens_details.cached_tokens`), capped at the prompt's size. 0–10 000 000. */
  readonly cachedTokens: number;
}

/** A healthy, instant mock: 24-token replies in 8 chunks, no failure. */
export const DEFAULT_MOCK_BEHAVIOR: MockBehavior = Object.freeze({
  latencyMs: 0,
  chunkCount: 8,
  chunkDelayMs: 0,
  failure: "none",
  retryAfterSeconds: 1,
  replyTokens: 24,
  cachedTokens: 0,
});

const LIMITS: Readonly<Record<Exclude<keyof MockBehavior, "failure">, readonly [number, number]>> = {
  latencyMs: [0, 600_000],
  chunkCount: [1, 10_000],
  chunkDelayMs: [0, 60_000],
  retryAfterSeconds: [0, 86_400],
  replyTokens: [0, 100_000],
  cachedTokens: [0, 10_000_000],
};

/** `current` with `patch` applied; throws a RangeError naming the first invalid field (never clamps). */
export function mergeMockBehavior(current: MockBehavior, patch: Partial<MockBehavior>): MockBehavior {
  const next = { ...current, ...patch };
  if (!MOCK_FAILURE_MODES.includes(next.failure)) {
    throw new RangeError(`mock behavior failure must be one of ${MOCK_FAILURE_MODES.join(", ")}`);
  }
  for (const [name, [min, max]] of Object.entries(LIMITS)) {
    const value = next[name as keyof typeof LIMITS];
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw new RangeError(`mock behavior ${name} must be an integer in [${min}, ${max}], got ${String(value)}`);
    }
  }
  return Object.freeze(next);
}
