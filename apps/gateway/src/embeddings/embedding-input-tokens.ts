import { AppError } from "@modelfaucet/core";
import { boundTextTokens, embeddingInputs, type EmbeddingInput } from "@modelfaucet/providers";
import type { CatalogModel } from "../catalog/model-catalog.js";

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
