// Money strings as the wire carries them: USD with exactly 8 decimals
// ("12.34567800"), computed on as integer units of 1e-8 USD, never floats.

const DECIMALS = 8;

function toUnits(usd: string): bigint {
  return BigInt(usd.replace(".", ""));
}

function fromUnits(units: bigint): string {
  const sign = units < 0n ? "-" : "";
  const digits = (units < 0n ? -units : units).toString().padStart(DECIMALS + 1, "0");
  return `${sign}${digits.slice(0, -DECIMALS)}.${digits.slice(-DECIMALS)}`;
}

/** `a − b`, exactly. */
export function subtractUsd(a: string, b: string): string {
  return fromUnits(toUnits(a) - toUnits(b));
}

/** Whether `usd` is more than zero. */
export function isPositiveUsd(usd: string): boolean {
  return toUnits(usd) > 0n;
}

/** For display, exact: "$0.000123" for "0.00012300", "$10.00" for "10.00000000" (at least cents, no rounding). */
export function formatUsd(usd: string): string {
  const [whole, fraction = ""] = usd.replace(/^-/, "").split(".");
  const shown = fraction.replace(/0+$/, "").padEnd(2, "0");
  return `${usd.startsWith("-") ? "-" : ""}$${whole}.${shown}`;
}
