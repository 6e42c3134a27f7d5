import { AppError } from "../errors/app-error.js";
import { MAX_USD_INTEGER_DIGITS, USD_DECIMALS, USD_SCALE } from "./usd-units.js";

export interface ParseUsdOptions {
  /** Accept a leading `-` (adjustments, refunds). Prices and payments never need it. */
  allowNegative?: boolean;
  /** Wire name of the field, used in the error message (default `"amount"`). */
  field?: string;
}

/**
 * ASCII digits only (`\d` is also ASCII-only without the `u` flag, but spelled
 * out so nobody "fixes" it into accepting Unicode digits). No leading zeros,
 * so each amount has one spelling apart from trailing fractional zeros.
 */
const USD_PATTERN = new RegExp(
  `^(-?)(0|[1-9][0-9]{0,${MAX_USD_INTEGER_DIGITS - 1}})(?:\\.([0-9]{1,${USD_DECIMALS}}))?$`,
);

/** Sign + integer digits + point + decimals: longer input is rejected before any matching. */
const MAX_USD_TEXT_LENGTH = 1 + MAX_USD_INTEGER_DIGITS + 1 + USD_DECIMALS;

/**
 * Parses a strict decimal USD string into units of 1e-8 USD.
 *
 * Accepted: `"0"`, `"12"`, `"12.5"`, `"12.34567800"` (at most 8 decimals and 20
 * integer digits), and a leading `-` only with `allowNegative`. Rejected with
 * an `invalid_request` AppError: exponents, `+`, spaces, commas, hex, leading
 * zeros (`"01"`), a bare point (`"1."`, `".5"`), non-ASCII digits, non-strings.
 * Rejecting rather than rounding or trimming means a typo can never turn into
 * a different amount of money.
 */
export function parseUsd(text: unknown, options: ParseUsdOptions = {}): bigint {
  const field = options.field ?? "amount";
  if (typeof text !== "string") {
    throw invalid(field, 'must be a decimal string such as "12.50"');
  }
  if (text.length > MAX_USD_TEXT_LENGTH) {
    throw invalid(field, `must have at most ${MAX_USD_INTEGER_DIGITS} integer digits and ${USD_DECIMALS} decimals`);
  }
  const match = USD_PATTERN.exec(text);
  if (match === null) {
    throw invalid(field, describeMismatch(text));
  }
  const [, sign = "", whole = "0", fraction = ""] = match;
  if (sign === "-" && options.allowNegative !== true) {
    throw invalid(field, "must not be negative");
  }
  const magnitude = BigInt(whole) * USD_SCALE + BigInt(fraction.padEnd(USD_DECIMALS, "0"));
  return sign === "-" ? -magnitude : magnitude;
}

/** A specific reason for the common mistakes, a generic one for the rest. */
function describeMismatch(text: string): string {
  if (/^-?[0-9]+\.[0-9]+$/.test(text)) {
    return `must have at most ${USD_DECIMALS} decimals and no leading zeros`;
  }
  if (/^-?[0-9]+$/.test(text)) {
    return `must have no leading zeros and at most ${MAX_USD_INTEGER_DIGITS} integer digits`;
  }
  return 'must be a plain decimal string such as "12.50" (no sign, exponent, spaces or separators)';
}

function invalid(field: string, reason: string): AppError {
  return new AppError("invalid_request", `${field} ${reason}`);
}
