import { z } from "zod";
import { modelfaucetBlockSchema } from "./modelfaucet-block.js";
import { usageCostSchema } from "./usage-cost.js";

/** `POST /v1/embeddings`: OpenAI's list of embeddings (base64 strings with `encoding_format: "base64"`). */
export const embeddingsResponseSchema = z.object({
  object: z.literal("list"),
  data: z.array(
    z.looseObject({
      object: z.literal("embedding"),
      index: z.number().int(),
      embedding: z.union([z.array(z.number()), z.string()]),
    }),
  ),
  model: z.string(),
  usage: z.object({ prompt_tokens: z.number().int(), total_tokens: z.number().int(), cost: usageCostSchema }),
  modelfaucet: modelfaucetBlockSchema,
});

export type EmbeddingsResponse = z.output<typeof embeddingsResponseSchema>;
