import { usdUnitsSchema } from "@modelfaucet/core";
import { z } from "zod";

/**
 * Money on the wire is a decimal string of USD; in code it is a bigint of
 * 1e-8 USD units. Parsing, printing and the request schemas are core's (one
 * source of truth for every amount the server reads); they are part of the
 * contract so that clients parse and print amounts exactly as the server does.
 */
export {
  formatUsd,
  parseUsd,
  USD_SCALE,
  usdString,
  usdStringSchema,
  usdUnitsSchema,
  type ParseUsdOptions,
} from "@modelfaucet/core";

/**
 * An amount as the API and the Gateway print it: exactly 8 decimals
 * (`"12.34567800"`). Negative only where a balance can be (reconciliation).
 */
export const usdAmount = z
  .string()
  .regex(/^-?(0|[1-9][0-9]*)\.[0-9]{8}$/)
  .meta({ description: 'USD as a decimal string with exactly 8 decimals, e.g. "12.34567800".' });

/**
 * A request's USD amount (`"12.50"`: no sign, exponent or separators, at most
 * 8 decimals), parsed to units of 1e-8 USD; messages name `field`.
 */
export const usdUnitsField = (field: string) =>
  usdUnitsSchema({ field }).meta({ description: 'USD as a decimal string with at most 8 decimals, e.g. "12.50".' });
