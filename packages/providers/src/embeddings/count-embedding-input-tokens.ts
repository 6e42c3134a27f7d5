import { countTextTokens } from "../tokens/count-tokens.js";
import type { EmbeddingInput } from "./embedding-provider.js";

/**
 * The inputs of an embeddings request one by one: a text to tokenize, or the
 * token count of a token-id input. A flat array of numbers is one input.
 */
export function embeddingInputs(input: EmbeddingInput): Array<string | number> {
  if (typeof input === "string") return [input];
  if (typeof input[0] === "number") return [input.length];
  return (input as ReadonlyArray<string | readonly number[]>).map((item) =>
    typeof item === "string" ? item : item.length,
  );
}

/**
 * Input tokens of an embeddings request: texts counted with o200k_base (an
 * estimate for other tokenizers), token arrays by their length. Embeddings
 * add no per-item framing tokens.
 */
export function countEmbeddingInputTokens(input: EmbeddingInput): number {
  let total = 0;
  for (const item of embeddingInputs(input)) total += typeof item === "string" ? countTextTokens(item) : item;
  return total;
}
