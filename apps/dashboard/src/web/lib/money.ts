import { formatUsd, parseUsd } from "@modelfaucet/core";

/**
 * How an amount reads on screen: dollars with cents, or up to 8 decimals for
 * sub-cent amounts (LLM requests cost fractions of a cent). Display only: the
 * exact 8-decimal string stays beside it (see Money) and in every export.
 */
export function displayUsd(usd: string): string {
  const value = Number(usd);
  const small = value !== 0 && Math.abs(value) < 0.01;
  return new Intl.NumberFormat("en-US", {
    style: "currency",
    currency: "USD",
    minimumFractionDigits: 2,
    maximumFractionDigits: small ? 8 : 2,
  }).format(value);
}

/** Σ of the API's 8-decimal money strings, exactly (bigint units, core's parser), as the same kind of string. */
export function sumUsd(values: readonly string[]): string {
  return formatUsd(values.reduce((sum, value) => sum + parseUsd(value, { allowNegative: true }), 0n));
}
