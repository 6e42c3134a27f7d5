const DOLLARS = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 });

/** Whole dollars of a deal, e.g. "$36,000" (deal sizes, not ModelFaucet money). */
export const formatDollars = (amount: number) => DOLLARS.format(amount);
