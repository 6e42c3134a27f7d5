import { formatUsd, parseUsd } from "@modelfaucet/core";

/**
 * How an amount reads on screen: dollars with cents, and as many more
 * decimals (up to the API's 8) as it has — LLM requests cost fractions of a
 * cent, and a balance of $4.99998479 must not read as $5.00. Built from the
 * decimal string, never through a float. The exact string stays beside it
 * (see Money) and in every export.
 */
export function displayUsd(usd: string): string {
  const negative = usd.startsWith("-");
  const [whole = "0", fraction = ""] = usd.replace(/^[-+]/, "").split(".");
  const decimals = fraction.replace(/0+$/, "").padEnd(2, "0");
  return `${negative ? "-" : ""}$${BigInt(whole).toLocaleString("en-US")}.${decimals}`;
}

/** A chart axis tick (a float the chart library computed): three significant digits are enough to read a scale. */
export function axisUsd(value: number): string {
  if (value === 0) return "$0";
  return new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumSignificantDigits: 3 }).format(
    value,
  );
}

/** Σ of the API's 8-decimal money strings, exactly (bigint units, core's parser), as the same kind of string. */
export function sumUsd(values: readonly string[]): string {
  return formatUsd(values.reduce((sum, value) => sum + parseUsd(value, { allowNegative: true }), 0n));
}
