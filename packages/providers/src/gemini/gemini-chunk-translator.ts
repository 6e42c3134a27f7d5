import type { ChatCompletionChunk } from "../spec/chat-wire.js";
import { isBlocked, newCompletionId } from "./convert-gemini-response.js";
import { isRecord } from "./is-record.js";
import { mapGeminiFinishReason } from "./map-gemini-finish-reason.js";
import { candidateIndex, completionId, readGeminiParts } from "./read-gemini-parts.js";

interface CandidateState {
  toolCalls: number;
  finished: boolean;
}

/**
 * Turns the `GenerateContentResponse` fragments of a Gemini stream into
 * OpenAI `chat.completion.chunk`s, per candidate: a role chunk first
 * (`{role: "assistant", content: ""}`), then reasoning / content / tool-call
 * deltas as they come (Gemini sends each function call whole, so each tool
 * call arrives in one delta with its full arguments), then a chunk with an
 * empty delta and the `finish_reason`. A blocked prompt yields a role chunk
 * and a `content_filter` finish. Usage is not turned into a chunk: the last
 * `usageMetadata` seen is kept in `rawUsage`.
 * https://ai.google.dev/api/generate-content#method:-models.streamgeneratecontent
 */
export class GeminiChunkTranslator {
  readonly #model: string;
  readonly #created = Math.floor(Date.now() / 1000);
  readonly #candidates = new Map<number, CandidateState>();
  #id: string | undefined;
  #responseId: string | undefined;
  #modelVersion: string | undefined;
  #blocked = false;
  /** The last `usageMetadata` received, as sent. */
  rawUsage: unknown = undefined;

  constructor(model: string) {
    this.#model = model;
  }

  /** Gemini's `responseId`, once the first fragment has arrived. */
  get responseId(): string | undefined {
    return this.#responseId;
  }

  /** Whether the stream reached its end: every candidate finished, or the prompt was blocked. */
  get complete(): boolean {
    if (this.#blocked) return true;
    if (this.#candidates.size === 0) return false;
    for (const state of this.#candidates.values()) if (!state.finished) return false;
    return true;
  }

  /** The chunks one fragment becomes (possibly none). */
  translate(fragment: Record<string, unknown>): ChatCompletionChunk[] {
    if (this.#id === undefined) {
      this.#id = newCompletionId(fragment);
      this.#responseId = completionId(fragment);
      if (typeof fragment.modelVersion === "string") this.#modelVersion = fragment.modelVersion;
    }
    if (isRecord(fragment.usageMetadata)) this.rawUsage = fragment.usageMetadata;
    const chunks: ChatCompletionChunk[] = [];
    const candidates = Array.isArray(fragment.candidates) ? fragment.candidates.filter(isRecord) : [];
    candidates.forEach((candidate, position) => this.#translateCandidate(candidate, position, chunks));
    if (candidates.length === 0 && isBlocked(fragment) && !this.#blocked) {
      this.#blocked = true;
      if (!this.#candidates.has(0)) chunks.push(this.#chunk(0, { role: "assistant", content: "" }));
      chunks.push(this.#chunk(0, {}, "content_filter"));
    }
    return chunks;
  }

  #translateCandidate(candidate: Record<string, unknown>, position: number, chunks: ChatCompletionChunk[]): void {
    const index = candidateIndex(candidate, position);
    let state = this.#candidates.get(index);
    if (state === undefined) {
      state = { toolCalls: 0, finished: false };
      this.#candidates.set(index, state);
      chunks.push(this.#chunk(index, { role: "assistant", content: "" }));
    }
    if (state.finished) return; // nothing is expected after a finish; never emit a second one
    const output = readGeminiParts(candidate.content);
    if (output.reasoning !== "") chunks.push(this.#chunk(index, { reasoning_content: output.reasoning }));
    if (output.text !== "") chunks.push(this.#chunk(index, { content: output.text }));
    if (output.toolCalls.length > 0) {
      const calls = output.toolCalls.map((call) => ({ index: state.toolCalls++, ...call }));
      chunks.push(this.#chunk(index, { tool_calls: calls }));
    }
    if (typeof candidate.finishReason === "string") {
      state.finished = true;
      chunks.push(this.#chunk(index, {}, mapGeminiFinishReason(candidate.finishReason, state.toolCalls > 0)));
    }
  }

  #chunk(index: number, delta: Record<string, unknown>, finishReason: string | null = null): ChatCompletionChunk {
    return {
      id: this.#id,
      object: "chat.completion.chunk",
      created: this.#created,
      model: this.#modelVersion ?? this.#model,
      choices: [{ index, delta, logprobs: null, finish_reason: finishReason }],
    };
  }
}
