import { z } from "zod";

/**
 * `usage.cost`: what the answer cost the end user, in USD, as a JSON number —
 * the habit OpenRouter's clients read. It is `modelfaucet.price_usd` parsed
 * as a number (the nearest double); the exact amount stays `price_usd`.
 */
export const usageCostSchema = z.number().nonnegative();
