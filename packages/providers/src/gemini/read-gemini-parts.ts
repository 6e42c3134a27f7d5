import { isRecord } from "./is-record.js";
import { newToolCallId } from "./new-tool-call-id.js";
import { thoughtSignatureField } from "./thought-signature.js";

/** An OpenAI tool call built from a Gemini `functionCall` part. */
export interface OpenAIToolCall {
  readonly id: string;
  readonly type: "function";
  readonly function: { readonly name: string; readonly arguments: string };
  readonly extra_content?: unknown;
}

/** What one candidate's parts (or one stream fragment of them) carry, in OpenAI terms. */
export interface CandidateOutput {
  /** Answer text (thought parts excluded), joined; "" when none. */
  readonly text: string;
  /** Thought summary text (parts with `thought: true`), joined; "" when none. */
  readonly reasoning: string;
  readonly toolCalls: readonly OpenAIToolCall[];
}

/**
 * Reads a candidate's `content.parts`: text, thought summaries and function
 * calls (arguments serialized to a JSON string, Gemini's id kept or one
 * generated, the thought signature carried in `extra_content`). Parts of
 * other kinds (executable code, inline images…) are not produced for the
 * requests this adapter sends and are skipped.
 * https://ai.google.dev/api/caching#Part
 */
export function readGeminiParts(content: unknown): CandidateOutput {
  const parts = isRecord(content) && Array.isArray(content.parts) ? content.parts : [];
  let text = "";
  let reasoning = "";
  const toolCalls: OpenAIToolCall[] = [];
  for (const part of parts) {
    if (!isRecord(part)) continue;
    if (typeof part.text === "string") {
      if (part.thought === true) reasoning += part.text;
      else text += part.text;
    }
    const call = part.functionCall;
    if (isRecord(call) && typeof call.name === "string") {
      const signature = typeof part.thoughtSignature === "string" ? part.thoughtSignature : undefined;
      toolCalls.push({
        id: typeof call.id === "string" && call.id.length > 0 ? call.id : newToolCallId(),
        type: "function",
        function: { name: call.name, arguments: JSON.stringify(call.args ?? {}) },
        ...thoughtSignatureField(signature),
      });
    }
  }
  return { text, reasoning, toolCalls };
}

/** A candidate's `index` (0 when absent, as Gemini omits it for the only candidate). */
export function candidateIndex(candidate: Record<string, unknown>, position: number): number {
  const index = candidate.index;
  return typeof index === "number" && Number.isSafeInteger(index) && index >= 0 ? index : position;
}

/** The completion id: Gemini's `responseId` when sane, else a random one. */
export function completionId(response: Record<string, unknown>): string | undefined {
  const id = response.responseId;
  return typeof id === "string" && /^[A-Za-z0-9_-]{1,128}$/.test(id) ? id : undefined;
}
