import type { HeaderMap } from "./header-map.js";

/** Longest wait we accept from an upstream hint, in seconds; larger hints are ignored as implausible. */
export const MAX_RETRY_AFTER_SECONDS = 86_400;

/**
 * Seconds an upstream asks us to wait, from `retry-after-ms` (OpenAI,
 * milliseconds) or `Retry-After` (RFC 9110: delay-seconds or an HTTP date),
 * rounded up to whole seconds. Undefined when absent, malformed, negative or
 * above MAX_RETRY_AFTER_SECONDS.
 */
export function parseRetryAfter(headers: HeaderMap, nowMs: number = Date.now()): number | undefined {
  const ms = firstValue(headers["retry-after-ms"]);
  if (ms !== undefined) {
    const value = Number(ms);
    if (ms.trim() !== "" && Number.isFinite(value) && value >= 0) return bounded(Math.ceil(value / 1000));
  }
  const raw = firstValue(headers["retry-after"])?.trim();
  if (raw === undefined || raw === "") return undefined;
  if (isDigits(raw)) return bounded(Number(raw));
  // An HTTP date names its day and month; Date.parse alone would read "-3" or "1.5" as dates.
  if (!/^[A-Za-z]{3}, /.test(raw)) return undefined;
  const date = Date.parse(raw);
  if (Number.isNaN(date)) return undefined;
  return bounded(Math.max(0, Math.ceil((date - nowMs) / 1000)));
}

function bounded(seconds: number): number | undefined {
  return Number.isSafeInteger(seconds) && seconds >= 0 && seconds <= MAX_RETRY_AFTER_SECONDS ? seconds : undefined;
}

function isDigits(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
