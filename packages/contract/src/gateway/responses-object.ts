import { z } from "zod";
import { modelfaucetBlockSchema } from "./modelfaucet-block.js";
import { usageCostSchema } from "./usage-cost.js";

/**
 * `POST /v1/responses` without `stream`: a Responses API `response` object
 * (OpenAI's as sent on native routes, ours on translated ones) with the
 * `modelfaucet` block; its `usage` carries `cost` (USD).
 * https://platform.openai.com/docs/api-reference/responses/object
 */
export const responseObjectSchema = z.looseObject({
  id: z.string(),
  object: z.literal("response"),
  created_at: z.number(),
  status: z.string(),
  model: z.string(),
  output: z.array(z.looseObject({ type: z.string() })),
  usage: z
    .looseObject({
      input_tokens: z.number().int(),
      output_tokens: z.number().int(),
      total_tokens: z.number().int(),
      cost: usageCostSchema,
    })
    .nullable(),
  modelfaucet: modelfaucetBlockSchema,
});

export type ResponseObject = z.output<typeof responseObjectSchema>;

/**
 * One event of a Responses stream (`stream: true`): a named `event:` line and
 * data carrying the same `type` and a `sequence_number` rising by one. The
 * terminal event (`response.completed`, `.incomplete`, `.failed`) carries the
 * `response` with its `modelfaucet` block; a failure midway ends with `error`.
 */
export const responseStreamEventSchema = z.looseObject({
  type: z.string(),
  sequence_number: z.number().int(),
  response: responseObjectSchema.partial({ modelfaucet: true }).optional(),
});

export type ResponseStreamEvent = z.output<typeof responseStreamEventSchema>;
