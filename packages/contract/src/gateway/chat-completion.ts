import { z } from "zod";
import { modelfaucetBlockSchema } from "./modelfaucet-block.js";
import { usageCostSchema } from "./usage-cost.js";

/**
 * OpenAI's `usage` of a chat completion, with what it cost (`cost`, USD).
 * The Gateway sends `cost` on every completion and on a stream's usage
 * chunk; it is optional in this type because clients also build a usage of
 * their own from OpenAI's counts (the SDK, for a stream it aborted).
 */
export const chatUsageSchema = z.looseObject({
  prompt_tokens: z.number().int(),
  completion_tokens: z.number().int(),
  total_tokens: z.number().int(),
  prompt_tokens_details: z.looseObject({ cached_tokens: z.number().int() }).optional(),
  cost: usageCostSchema.optional(),
});

const choice = z.looseObject({ index: z.number().int(), finish_reason: z.string().nullable().optional() });

/**
 * `POST /v1/chat/completions` without `stream`: OpenAI's chat completion as
 * upstream answered it (fields beyond these pass through), with the
 * `modelfaucet` block.
 */
export const chatCompletionSchema = z.looseObject({
  id: z.string(),
  object: z.literal("chat.completion"),
  created: z.number().int(),
  model: z.string(),
  choices: z.array(choice.extend({ message: z.looseObject({ role: z.string() }) })),
  usage: chatUsageSchema,
  modelfaucet: modelfaucetBlockSchema,
});

export type ChatCompletion = z.output<typeof chatCompletionSchema>;

/**
 * One `data:` event of a chat stream (`stream: true`), then `data: [DONE]`.
 * The chunk with a `finish_reason` (and, with
 * `stream_options.include_usage`, the final chunk with no choices and the
 * `usage`, its `cost` included) carries the `modelfaucet` block. A stream
 * that fails midway ends with `{error, modelfaucet}` and no `[DONE]`.
 */
export const chatCompletionChunkSchema = z.looseObject({
  id: z.string().optional(),
  object: z.literal("chat.completion.chunk"),
  created: z.number().int().optional(),
  model: z.string().optional(),
  choices: z.array(choice.extend({ delta: z.looseObject({}).optional() })),
  usage: chatUsageSchema.nullish(),
  modelfaucet: modelfaucetBlockSchema.optional(),
});

export type ChatCompletionChunk = z.output<typeof chatCompletionChunkSchema>;
