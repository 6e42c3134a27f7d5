import { USD_DECIMALS, USD_SCALE } from "./usd-units.js";

/**
 * Prints units of 1e-8 USD as the wire's decimal string with exactly 8
 * decimals: `1234567800n` → `"12.34567800"`, `-5n` → `"-0.00000005"`.
 * Works digit-wise on the bigint, so any amount prints exactly.
 */
export function formatUsd(units: bigint): string {
  const sign = units < 0n ? "-" : "";
  const magnitude = units < 0n ? -units : units;
  const whole = magnitude / USD_SCALE;
  const fraction = (magnitude % USD_SCALE).toString().padStart(USD_DECIMALS, "0");
  return `${sign}${whole}.${fraction}`;
}
