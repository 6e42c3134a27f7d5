import { isRecord } from "./is-record.js";

/**
 * Gemini 2.5+ models attach a `thoughtSignature` to function-call parts and
 * (Gemini 3) refuse a follow-up turn that does not send it back. An OpenAI
 * tool call has no place for it, so it travels where Google's own
 * OpenAI-compatible endpoint puts it: `extra_content.google.thought_signature`
 * on the tool call. Clients that echo tool calls back unchanged keep it.
 * https://ai.google.dev/gemini-api/docs/thought-signatures
 */
export function thoughtSignatureField(signature: string | undefined): { extra_content?: unknown } {
  return signature === undefined ? {} : { extra_content: { google: { thought_signature: signature } } };
}

/** The signature carried by an OpenAI tool call, if any. */
export function readThoughtSignature(toolCall: Record<string, unknown>): string | undefined {
  const extra = toolCall.extra_content;
  const google = isRecord(extra) ? extra.google : undefined;
  const signature = isRecord(google) ? google.thought_signature : undefined;
  return typeof signature === "string" && signature.length > 0 ? signature : undefined;
}
