import { countTextTokens } from "../tokens/count-tokens.js";
import type { EmbeddingInput } from "./embedding-provider.js";

/**
 * Input tokens of an embeddings request: texts counted with o200k_base (an
 * estimate for other tokenizers), token arrays by their length. Embeddings
 * add no per-item framing tokens.
 */
export function countEmbeddingInputTokens(input: EmbeddingInput): number {
  if (typeof input === "string") return countTextTokens(input);
  let total = 0;
  for (const item of input) {
    if (typeof item === "string") total += countTextTokens(item);
    else if (typeof item === "number") total += 1;
    else total += item.length;
  }
  return total;
}
