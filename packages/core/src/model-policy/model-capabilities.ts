/**
 * What a catalog model can do beyond plain chat, as the catalog records it
 * (`models.capabilities`, migration 0018):
 *
 * - `tools`: function / tool calling (`tools` in the request);
 * - `json_schema`: structured output held to a JSON schema
 *   (`response_format: {type: "json_schema"}`, Responses `text.format`);
 * - `vision`: image inputs (`image_url` / `input_image` content parts);
 * - `embeddings`: an embedding model. It serves `/v1/embeddings` only.
 *
 * There is no `chat` capability: every model without `embeddings` is a chat
 * model, and an embedding model is never one, so a separate flag could only
 * disagree with `embeddings`.
 */
export const MODEL_CAPABILITIES = ["tools", "json_schema", "vision", "embeddings"] as const;

export type ModelCapability = (typeof MODEL_CAPABILITIES)[number];

export function isModelCapability(value: unknown): value is ModelCapability {
  return (MODEL_CAPABILITIES as readonly unknown[]).includes(value);
}

/** Whether a model with `capabilities` serves a request needing `needed`. */
export function hasCapabilities(capabilities: readonly ModelCapability[], needed: readonly ModelCapability[]): boolean {
  return needed.every((capability) => capabilities.includes(capability));
}
