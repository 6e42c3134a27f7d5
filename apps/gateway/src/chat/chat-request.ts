import { z } from "zod";

const contentPart = z.looseObject({ type: z.string().min(1) });

const message = z.looseObject({
  role: z.enum(["system", "developer", "user", "assistant", "tool", "function"]),
  content: z.union([z.string(), z.array(contentPart), z.null()]).optional(),
});

/**
 * The fields of an OpenAI chat request the Gateway reads. Everything else
 * (temperature, tools, response_format, …) passes through to upstream as sent.
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

/** The feature a request names: `metadata.feature_key`, else `model: "auto:<feature_key>"`. */
export function requestedFeatureKey(request: ChatRequest): string | undefined {
  const fromMetadata = request.metadata?.feature_key;
  if (typeof fromMetadata === "string" && fromMetadata.length > 0) return fromMetadata;
  return request.model.startsWith("auto:") ? request.model.slice("auto:".length) : undefined;
}
