import { z } from "zod";

const contentPart = z.looseObject({ type: z.string().min(1) });

/** One input item: a message (`type` "message" or omitted, as OpenAI's easy input) or any other item type. */
const inputItem = z.looseObject({
  type: z.string().min(1).optional(),
  role: z.string().min(1).optional(),
  content: z.union([z.string(), z.array(contentPart)]).optional(),
});

/**
 * `POST /v1/responses`: the fields of a Responses API request the Gateway
 * reads. On native (OpenAI) routes everything else passes through; on
 * translated routes the fields chat cannot express are refused.
 * https://platform.openai.com/docs/api-reference/responses/create
 */
export const responsesRequestSchema = z.looseObject({
  model: z.string().min(1).max(200),
  input: z.union([z.string(), z.array(inputItem).min(1).max(10_000)]),
  instructions: z.string().nullish(),
  max_output_tokens: z.number().int().positive().nullish(),
  stream: z.boolean().nullish(),
  temperature: z.number().nullish(),
  top_p: z.number().nullish(),
  user: z.string().max(256).nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
});

export type ResponsesRequestBody = z.infer<typeof responsesRequestSchema>;
