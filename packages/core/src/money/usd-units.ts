/**
 * Money is an integer count of units of 1e-8 USD (`bigint`), never a float:
 * 1 USD = 100_000_000n units. The wire prints it with exactly 8 decimals.
 */
export const USD_SCALE = 100_000_000n;

/** Decimals of a printed amount; also the most a parsed amount may have. */
export const USD_DECIMALS = 8;

/**
 * Most integer digits a parsed amount may have (≈ 1e20 USD). Far above any
 * real amount; it exists so that input length, and so work, is bounded.
 */
export const MAX_USD_INTEGER_DIGITS = 20;
