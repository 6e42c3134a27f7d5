import { AppError } from "../errors/app-error.js";

/**
 * Highest markup accepted: 100,000 % (retail = 1001 × cost). Far above any
 * sane price; it exists so a slip of the keyboard is refused, not charged.
 */
export const MAX_MARKUP_PERCENT = 100_000;

/** The same limit in basis points of cost (1 % = 100 bps). */
export const MAX_MARKUP_BPS = MAX_MARKUP_PERCENT * 100;

/** Plain non-negative decimal, ≤ 2 decimals, no leading zeros, ASCII digits only. */
const MARKUP_PATTERN = /^(0|[1-9][0-9]{0,5})(?:\.([0-9]{1,2}))?$/;

/**
 * A markup percent as basis points of cost: `30` → 3000, `"12.5"` → 1250,
 * `0.07` → 7. Exact: the value is read through its shortest decimal spelling
 * (`String(0.07)` is `"0.07"`), never multiplied as a float, so `0.07` cannot
 * become 6.999…. Returns `undefined` for negatives, NaN, infinities, more than
 * 2 decimals, exponents, or more than `MAX_MARKUP_PERCENT`.
 */
export function tryMarkupPercentToBps(value: unknown): number | undefined {
  let text: string;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return undefined;
    text = String(value);
  } else if (typeof value === "string") {
    text = value;
  } else {
    return undefined;
  }
  const match = MARKUP_PATTERN.exec(text);
  if (match === null) return undefined;
  const [, whole = "0", fraction = ""] = match;
  const bps = Number(whole) * 100 + Number(fraction.padEnd(2, "0"));
  return bps <= MAX_MARKUP_BPS ? bps : undefined;
}

/** Like `tryMarkupPercentToBps`, but throws an `invalid_request` AppError naming `markup_percent`. */
export function markupPercentToBps(value: number | string): number {
  const bps = tryMarkupPercentToBps(value);
  if (bps === undefined) {
    throw new AppError(
      "invalid_request",
      `markup_percent must be a number from 0 to ${MAX_MARKUP_PERCENT} with at most 2 decimals`,
    );
  }
  return bps;
}
