/** First retry after about this long, ms; each further one waits twice as long. */
export const FIRST_RETRY_DELAY_MS = 1000;
/** The longest wait between two attempts, ms. */
export const MAX_RETRY_DELAY_MS = 5 * 60 * 1000;

/**
 * How long to wait before attempt `attempt + 1` after `attempt` failures:
 * exponential, capped, with jitter in [half, whole] so that many bridges
 * coming back after an outage of the API do not retry in step.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const whole = Math.min(MAX_RETRY_DELAY_MS, FIRST_RETRY_DELAY_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(whole / 2 + (whole / 2) * random());
}
