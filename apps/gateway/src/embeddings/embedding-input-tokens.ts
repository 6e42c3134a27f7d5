import { AppError } from "@modelfaucet/core";
import { boundTextTokens, embeddingInputs, type EmbeddingInput } from "@modelfaucet/providers";
import type { CatalogModel } from "../catalog/model-catalog.js";

/** An embeddings request's input tokens: each input's, their total (what is billed) and the largest. */
export interface EmbeddingInputTokens {
  perInput: number[];
  total: number;
  largest: number;
}

/**
 * The input's tokens for the hold, counted once whatever the model: an upper
 * bound of each text (boundTextTokens), token arrays by their length.
 */
export async function countEmbeddingInputTokens(input: EmbeddingInput): Promise<EmbeddingInputTokens> {
  const inputs = embeddingInputs(input);
  const textTokens = await boundTextTokens(inputs.filter((item) => typeof item === "string"));
  let texts = 0;
  const perInput = inputs.map((item) => (typeof item === "string" ? textTokens[texts++]! : item));
  let total = 0;
  let largest = 0;
  for (const tokens of perInput) {
    total += tokens;
    largest = Math.max(largest, tokens);
  }
  return { perInput, total, largest };
}

/**
 * OpenAI limits each input, not their sum, to the model's context window:
 * an input over it is 400 `context_length_exceeded`, before any hold.
 */
export function assertEmbeddingInputsFit(tokens: EmbeddingInputTokens, model: CatalogModel): void {
  const index = tokens.perInput.findIndex((count) => count > model.contextWindow);
  if (index < 0) return;
  throw new AppError(
    "context_length_exceeded",
    `Input ${index} counts ${tokens.perInput[index]} tokens, over the context window of model "${model.id}" ` +
      `(${model.contextWindow} tokens). Shorten or split it.`,
  );
}
