import { MODEL_CAPABILITIES } from "@modelfaucet/core";
import { z } from "zod";

/**
 * A model the session can be routed to, in OpenAI's shape with its limits:
 * `max_output_tokens` is the model's own, `feature_max_output_tokens` the
 * most `max_tokens` a request under the session's feature may ask for;
 * `capabilities` what it can do beyond plain chat (`tools`, `json_schema`,
 * `vision`; `embeddings` for an embedding model), as the catalog records it.
 */
export const modelSchema = z.object({
  id: z.string(),
  object: z.literal("model"),
  /** Unix seconds: when the model's current catalog price took effect. */
  created: z.number().int(),
  owned_by: z.string(),
  context_window: z.number().int(),
  max_output_tokens: z.number().int(),
  feature_max_output_tokens: z.number().int(),
  capabilities: z.array(z.enum(MODEL_CAPABILITIES)),
});

export type Model = z.output<typeof modelSchema>;

/** `GET /v1/models`. */
export const modelListSchema = z.object({ object: z.literal("list"), data: z.array(modelSchema) });

export type ModelList = z.output<typeof modelListSchema>;

/** `?feature_key=` picks the feature when the app has several and the session names none; other values are ignored. */
export const modelsQuery = z.object({ feature_key: z.string().optional().catch(undefined) });

/** `GET /v1/models/{id}`: a catalog id, which may contain "/" (`meta/llama-3`). */
export const modelParams = z.object({ id: z.string() });
