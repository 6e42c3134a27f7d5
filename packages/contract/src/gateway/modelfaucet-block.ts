import { ROUTE_MODES } from "@modelfaucet/core";
import { z } from "zod";
import { usdAmount } from "../money.js";
import { modelChoiceSchema } from "./model-choice.js";

/**
 * The `modelfaucet` block every Gateway answer carries: on a completion, an
 * embeddings list and a Responses object, on a chat stream's finish (and
 * usage) chunk, and in a Responses stream's terminal event. `price_usd` is
 * what the end user was charged (exact; `usage` numbers are OpenAI's);
 * `available_usd` the wallet's available balance right after settlement,
 * null only when settling a stream failed (nothing was charged). `cached`
 * is present (true) only on an answer served from the feature's response
 * cache, billed at its cache price.
 */
export const modelfaucetBlockSchema = z.object({
  request_id: z.string(),
  route_mode: z.enum(ROUTE_MODES),
  feature_key: z.string(),
  provider: z.string(),
  model: z.string(),
  price_usd: usdAmount,
  available_usd: usdAmount.nullable(),
  cached: z.literal(true).optional(),
  /** Why this model, when the feature's model policy chose it (model-choice.ts). */
  model_choice: modelChoiceSchema.optional(),
});

export type ModelfaucetBlock = z.output<typeof modelfaucetBlockSchema>;
