import { AppError } from "@modelfaucet/core";
import { boundTextTokens, embeddingInputs, type EmbeddingInput } from "@modelfaucet/providers";
import { z } from "zod";
import type { CatalogModel } from "../catalog/model-catalog.js";

/** Most inputs per request and most tokens per token array, as OpenAI. */
export const MAX_EMBEDDING_INPUTS = 2048;
const MAX_TOKENS_PER_INPUT = 8192;

const tokenId = z.number().int().min(0);
const tokenArray = z.array(tokenId).min(1).max(MAX_TOKENS_PER_INPUT);

/**
 * The fields of an OpenAI embeddings request the Gateway reads; others pass
 * through upstream. `metadata.feature_key` (ours, not OpenAI's) selects the
 * feature and is never forwarded.
 * https://platform.openai.com/docs/api-reference/embeddings/create
 */
export const embeddingRequestSchema = z.looseObject({
  model: z.string().min(1).max(200),
  input: z.union([
    z.string().min(1),
    z.array(z.string().min(1)).min(1).max(MAX_EMBEDDING_INPUTS),
    tokenArray,
    z.array(tokenArray).min(1).max(MAX_EMBEDDING_INPUTS),
  ]),
  encoding_format: z.enum(["float", "base64"]).optional(),
  dimensions: z.number().int().min(1).max(65_536).optional(),
  user: z.string().max(256).optional(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
});

export type EmbeddingRequestBody = z.infer<typeof embeddingRequestSchema>;

/**
 * The input's tokens for the hold: an upper bound of each text
 * (boundTextTokens), token arrays by their length. OpenAI limits each input,
 * not their sum, to the model's context window: an input over it is 400
 * `context_length_exceeded`, before any hold.
 */
export async function boundEmbeddingInputTokens(input: EmbeddingInput, model: CatalogModel): Promise<number> {
  const inputs = embeddingInputs(input);
  const textTokens = await boundTextTokens(inputs.filter((item) => typeof item === "string"));
  let total = 0;
  let texts = 0;
  for (const [index, item] of inputs.entries()) {
    const tokens = typeof item === "string" ? textTokens[texts++]! : item;
    if (tokens > model.contextWindow) {
      throw new AppError(
        "context_length_exceeded",
        `Input ${index} counts ${tokens} tokens, over the context window of model "${model.id}" ` +
          `(${model.contextWindow} tokens). Shorten or split it.`,
      );
    }
    total += tokens;
  }
  return total;
}
