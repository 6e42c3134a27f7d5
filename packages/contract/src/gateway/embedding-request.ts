import { z } from "zod";

/** Most inputs per request and most tokens per token array, as OpenAI. */
export const MAX_EMBEDDING_INPUTS = 2048;
const MAX_TOKENS_PER_INPUT = 8192;

const tokenId = z.number().int().min(0);
const tokenArray = z.array(tokenId).min(1).max(MAX_TOKENS_PER_INPUT);

/**
 * `POST /v1/embeddings`: the fields of an OpenAI embeddings request the
 * Gateway reads; others pass through upstream. `metadata.feature_key` (ours,
 * not OpenAI's) selects the feature and is never forwarded.
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
