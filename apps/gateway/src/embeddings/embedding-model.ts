import type { CatalogModel } from "../catalog/model-catalog.js";

/**
 * Whether a catalog model serves embeddings: its catalog capabilities say
 * `embeddings` (migration 0018; before it, the rule was an id containing
 * `embed`, which the migration turned into the capability for existing rows).
 * Embedding rows are seeded with output price 0 and `max_output_tokens` 1
 * (the column must be positive); neither matters for billing, since
 * embeddings are charged for input tokens only.
 */
export function isEmbeddingModel(model: CatalogModel): boolean {
  return model.capabilities.includes("embeddings");
}
