import { z } from "zod";

const contentPart = z.looseObject({ type: z.string().min(1) });

const message = z.looseObject({
  role: z.enum(["system", "developer", "user", "assistant", "tool", "function"]),
  content: z.union([z.string(), z.array(contentPart), z.null()]).optional(),
});

/**
 * `POST /v1/chat/completions`: the fields of an OpenAI chat request the
 * Gateway reads. Everything else (temperature, tools, response_format, …)
 * passes through to upstream as sent. `model` is a catalog id or
 * `auto:<feature_key>`; `metadata.feature_key` (ours) selects the feature.
 * https://platform.openai.com/docs/api-reference/chat/create
 */
export const chatRequestSchema = z.looseObject({
  model: z.string().min(1).max(200),
  messages: z.array(message).min(1).max(10_000),
  stream: z.boolean().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
  n: z.number().int().min(1).max(1).nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
});

export type ChatRequest = z.infer<typeof chatRequestSchema>;
