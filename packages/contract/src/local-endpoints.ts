import { z } from "zod";
import { listOf, timestamp } from "./wire.js";

/** Runtimes the Local Bridge can proxy to. */
export const LOCAL_RUNTIMES = ["ollama", "vllm", "lm_studio", "llama_cpp", "other"] as const;
/** Most endpoints one end user may register. */
export const MAX_LOCAL_ENDPOINTS = 20;
/** Most model names per endpoint. */
export const MAX_LOCAL_MODELS = 100;

// Local model names are free-form (`llama3.1:8b-instruct-q4_K_M`, `Qwen/Qwen2.5-7B`), but printable and bounded.
const MODEL_NAME = /^[\x21-\x7e]{1,200}$/;

/**
 * `POST /v1/local/endpoints`: metadata of one of the end user's local models
 * (the cloud never calls it). Registering an existing name replaces that
 * entry. Every message is fixed text: none echoes a value. The API also
 * refuses a `base_url` with credentials, a query or a fragment.
 */
export const localEndpointBody = z.strictObject({
  name: z
    .string({ error: "is required and must be a string" })
    .trim()
    .min(1, { error: "must not be empty" })
    .max(100, { error: "must be at most 100 characters" }),
  runtime: z.enum(LOCAL_RUNTIMES, { error: `must be one of ${LOCAL_RUNTIMES.join(", ")}` }),
  models: z
    .array(z.string().regex(MODEL_NAME, { error: "each entry must be a model name (printable, no spaces)" }), {
      error: "must be an array of model names",
    })
    .min(1, { error: "must name at least one model" })
    .max(MAX_LOCAL_MODELS, { error: `may list at most ${MAX_LOCAL_MODELS} models` }),
  base_url: z.string({ error: "must be a URL string" }).min(1).max(2048).optional(),
});

export type LocalEndpointRequest = z.input<typeof localEndpointBody>;

export const localEndpointSchema = z.object({
  id: z.string(),
  name: z.string(),
  runtime: z.enum(LOCAL_RUNTIMES),
  models: z.array(z.string()),
  base_url: z.string().nullable(),
  created_at: timestamp,
  updated_at: timestamp,
});

export type LocalEndpoint = z.output<typeof localEndpointSchema>;

/** `GET /v1/local/endpoints`: at most MAX_LOCAL_ENDPOINTS, oldest first. */
export const localEndpointListSchema = listOf(localEndpointSchema);
