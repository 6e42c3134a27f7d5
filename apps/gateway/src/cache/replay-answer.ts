import type { CachedAnswer, CachedChoice } from "./cached-answer.js";

/** Characters (code points) of `content` per replayed chunk: a cached answer streams in pieces, like a live one. */
export const REPLAY_CHUNK_CHARS = 48;

/** One choice of a replayed chunk. */
interface ReplayChoice {
  index: number;
  delta: Record<string, unknown>;
  logprobs: null;
  finish_reason: string | null;
}

/** What is fresh in every answer served from the cache: its own id and creation time. */
export interface ReplayIdentity {
  id: string;
  /** Unix seconds. */
  created: number;
}

/** A cached answer as a `chat.completion` body (without usage and block, added by the caller). */
export function completionFromAnswer(answer: CachedAnswer, identity: ReplayIdentity) {
  return {
    id: identity.id,
    object: "chat.completion" as const,
    created: identity.created,
    model: answer.model,
    ...(answer.system_fingerprint === undefined ? {} : { system_fingerprint: answer.system_fingerprint }),
    choices: answer.choices.map((choice) => ({ ...choice, logprobs: null })),
  };
}

/** `text` cut into pieces of at most `size` code points (never inside a surrogate pair); [""] for "". */
export function textPieces(text: string, size = REPLAY_CHUNK_CHARS): string[] {
  const points = [...text];
  if (points.length === 0) return [""];
  const pieces: string[] = [];
  for (let start = 0; start < points.length; start += size) pieces.push(points.slice(start, start + size).join(""));
  return pieces;
}

/** The deltas of one choice, in the order a live stream sends them; the finish is the caller's. */
function choiceDeltas(choice: CachedChoice): Record<string, unknown>[] {
  const { role, tool_calls: toolCalls, content, ...rest } = choice.message;
  const deltas: Record<string, unknown>[] = [{ role, content: typeof content === "string" ? "" : null }];
  if (typeof content === "string" && content !== "") {
    for (const piece of textPieces(content)) deltas.push({ content: piece });
  }
  // Other text (refusal, a provider's reasoning): one delta each. Nulls and empty lists have nothing to send.
  for (const [field, value] of Object.entries(rest)) if (typeof value === "string") deltas.push({ [field]: value });
  if (toolCalls && toolCalls.length > 0) {
    deltas.push({ tool_calls: toolCalls.map((call, index) => ({ index, ...call })) });
  }
  return deltas;
}

/**
 * A cached answer as the chunks of a chat stream, in a live stream's order:
 * per choice the role, the content in pieces of REPLAY_CHUNK_CHARS, other
 * text, tool calls; the last chunk of all carries every choice's
 * `finish_reason` (the caller adds the block to it, and the usage chunk and
 * `[DONE]` after).
 */
export function chunksFromAnswer(answer: CachedAnswer, identity: ReplayIdentity) {
  const chunk = (choices: ReplayChoice[]) => ({
    id: identity.id,
    object: "chat.completion.chunk" as const,
    created: identity.created,
    model: answer.model,
    ...(answer.system_fingerprint === undefined ? {} : { system_fingerprint: answer.system_fingerprint }),
    choices,
  });
  const chunks = answer.choices.flatMap((choice) =>
    choiceDeltas(choice).map((delta) => chunk([{ index: choice.index, delta, logprobs: null, finish_reason: null }])),
  );
  const finish = chunk(
    answer.choices.map((choice) => ({
      index: choice.index,
      delta: {},
      logprobs: null,
      finish_reason: choice.finish_reason,
    })),
  );
  return { chunks, finish };
}
