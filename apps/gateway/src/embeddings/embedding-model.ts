import type { CatalogModel } from "../catalog/model-catalog.js";

/**
 * Whether a catalog model serves embeddings. The catalog has no `kind`
 * column, so the rule is the providers' own naming convention: the id
 * contains `embed` (`text-embedding-3-small`, `mock-embed`,
 * `gemini-embedding-001`, `mistral-embed`, `nomic-embed-text`). Embedding
 * rows are seeded with output price 0 and `max_output_tokens` 1 (the column
 * must be positive); neither matters for billing, since embeddings are
 * charged for input tokens only. A `kind` column would replace this rule.
 */
export function isEmbeddingModel(model: CatalogModel): boolean {
  return /embed/i.test(model.id);
}
