import { ROUTE_MODES, type RouteMode } from "@modelfaucet/core";
import { z } from "zod";

/**
 * A tool call as stored: OpenAI's shape. Only function calls are cached; an
 * answer with another kind is served upstream every time.
 */
const toolCallSchema = z.strictObject({
  id: z.string(),
  type: z.literal("function"),
  function: z.strictObject({ name: z.string(), arguments: z.string() }),
});

/**
 * The assistant message of one choice, as the client saw it. Besides `role`
 * and `tool_calls`, every field is text (`content`, `refusal`, a provider's
 * reasoning text), null, or an empty list (`annotations: []`): what a chat
 * stream can carry as deltas and so replay either way. A message with
 * anything else (audio, annotations, …) is not cached.
 */
const messageSchema = z
  .object({ role: z.literal("assistant"), tool_calls: z.array(toolCallSchema).nullish() })
  .catchall(z.unknown())
  .refine(
    (message) =>
      Object.entries(message).every(
        ([field, value]) =>
          field === "role" ||
          field === "tool_calls" ||
          typeof value === "string" ||
          value === null ||
          (Array.isArray(value) && value.length === 0),
      ),
    { error: "a message part a stream cannot replay" },
  );

const choiceSchema = z.strictObject({
  index: z.number().int().nonnegative(),
  message: messageSchema,
  finish_reason: z.string().min(1),
});

/**
 * One completed answer in the response cache, as the client saw it (PII
 * restored), without what belongs to a single request (id, created, usage,
 * the `modelfaucet` block). Stored as JSON; read back through this schema,
 * so an entry written by another version (or tampered with) is a miss.
 */
export const cachedAnswerSchema = z.strictObject({
  v: z.literal(1),
  /** The route that produced it: a hit is served only to a request that may take that route. */
  route_mode: z.enum(ROUTE_MODES),
  /** The `model` field of the answer (the upstream's name for it). */
  model: z.string(),
  system_fingerprint: z.string().optional(),
  choices: z.array(choiceSchema).min(1),
});

export type CachedAnswer = z.output<typeof cachedAnswerSchema>;
export type CachedChoice = CachedAnswer["choices"][number];

/**
 * The cacheable answer of a completion the client received, or undefined
 * when it is not one: a choice without a `finish_reason` (cut off, failed),
 * logprobs, or a message with parts a stream cannot replay.
 */
export function answerFromCompletion(body: Record<string, unknown>, routeMode: RouteMode): CachedAnswer | undefined {
  const choices = Array.isArray(body.choices) ? (body.choices as Record<string, unknown>[]) : [];
  const parsed = cachedAnswerSchema.safeParse({
    v: 1,
    route_mode: routeMode,
    model: body.model,
    ...(typeof body.system_fingerprint === "string" ? { system_fingerprint: body.system_fingerprint } : {}),
    choices: choices.map(({ logprobs, ...choice }) => (logprobs == null ? choice : { ...choice, logprobs })),
  });
  return parsed.success ? parsed.data : undefined;
}

/** An entry read from the store; undefined when it does not parse (another version's, or damaged): a miss. */
export function parseCachedAnswer(text: string): CachedAnswer | undefined {
  try {
    const parsed = cachedAnswerSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
