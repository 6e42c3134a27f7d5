import { z } from "zod";

import { AppError } from "../errors/app-error.js";
import { formatUsd } from "./format-usd.js";
import { parseUsd, type ParseUsdOptions } from "./parse-usd.js";

/**
 * A wire USD amount, validated by the same rules as `parseUsd` (one source of
 * truth) and normalised to the canonical 8-decimal form, so `"0.5"` comes out
 * as `"0.50000000"` and echoes back exactly as the contract prints money.
 * Pass `field` to have messages name the field.
 */
export function usdStringSchema(options: ParseUsdOptions = {}) {
  return wireString(options).transform((input, ctx) => {
    const units = parseOrIssue(input, options, ctx);
    return units === undefined ? z.NEVER : formatUsd(units);
  });
}

/** Like `usdStringSchema`, but outputs the amount in units of 1e-8 USD. */
export function usdUnitsSchema(options: ParseUsdOptions = {}) {
  return wireString(options).transform((input, ctx) => parseOrIssue(input, options, ctx) ?? z.NEVER);
}

/** A non-negative wire USD amount, normalised to 8 decimals. */
export const usdString = usdStringSchema();

function wireString(options: ParseUsdOptions) {
  const field = options.field ?? "amount";
  return z.string({
    error: (issue) =>
      issue.input === undefined ? `${field} is required` : `${field} must be a decimal string such as "12.50"`,
  });
}

function parseOrIssue(input: string, options: ParseUsdOptions, ctx: z.RefinementCtx): bigint | undefined {
  try {
    return parseUsd(input, options);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    ctx.addIssue({ code: "custom", message: error.message, input });
    return undefined;
  }
}
