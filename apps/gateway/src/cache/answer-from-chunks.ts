import type { RouteMode } from "@modelfaucet/core";
import type { ChatCompletionChunk } from "@modelfaucet/providers";
import type { UpstreamStream } from "../streaming/relay-stream.js";
import { answerFromCompletion, type CachedAnswer } from "./cached-answer.js";

interface ToolCallDelta {
  index?: unknown;
  id?: unknown;
  type?: unknown;
  function?: { name?: unknown; arguments?: unknown };
}

interface ToolCall {
  id: string;
  type: string;
  function: { name: string; arguments: string };
}

interface Assembling {
  finish_reason: unknown;
  /** Text fields (content, refusal, reasoning): their deltas concatenated. */
  text: Map<string, string>;
  toolCalls: Map<number, ToolCall>;
  /** A delta held something a stream replay could not carry: this choice (so the answer) is not cached. */
  unreplayable: boolean;
}

/**
 * Assembles the chat completion a stream delivered, chunk by chunk as the
 * client received them, into a cacheable answer. Text deltas are
 * concatenated per choice and field; tool calls are merged by index (id,
 * type and name from the first delta that has them, arguments appended).
 * Deltas with anything else (audio, logprobs) make the answer uncacheable.
 */
export class ChunkAssembler {
  readonly #choices = new Map<number, Assembling>();
  #model: unknown;
  #systemFingerprint: unknown;

  add(chunk: ChatCompletionChunk): void {
    const { model, system_fingerprint: fingerprint } = chunk as { model?: unknown; system_fingerprint?: unknown };
    this.#model ??= model;
    this.#systemFingerprint ??= fingerprint;
    for (const choice of chunk.choices as Record<string, unknown>[]) this.#addChoice(choice);
  }

  /** The answer, once every choice finished; undefined while unfinished or when it cannot be cached. */
  answer(routeMode: RouteMode): CachedAnswer | undefined {
    const choices = [...this.#choices.entries()].sort(([a], [b]) => a - b);
    if (choices.length === 0 || choices.some(([, choice]) => choice.unreplayable)) return undefined;
    return answerFromCompletion(
      {
        model: this.#model,
        system_fingerprint: this.#systemFingerprint ?? undefined,
        choices: choices.map(([index, choice]) => ({
          index,
          message: {
            role: "assistant",
            ...Object.fromEntries(choice.text),
            ...(choice.toolCalls.size > 0 ? { tool_calls: [...choice.toolCalls.values()] } : {}),
          },
          finish_reason: choice.finish_reason,
        })),
      },
      routeMode,
    );
  }

  #addChoice(choice: Record<string, unknown>): void {
    const index = typeof choice.index === "number" ? choice.index : 0;
    let assembling = this.#choices.get(index);
    if (!assembling) {
      assembling = { finish_reason: undefined, text: new Map(), toolCalls: new Map(), unreplayable: false };
      this.#choices.set(index, assembling);
    }
    if (choice.logprobs != null) assembling.unreplayable = true;
    if (typeof choice.finish_reason === "string") assembling.finish_reason = choice.finish_reason;
    const delta = (choice.delta ?? {}) as Record<string, unknown>;
    for (const [field, value] of Object.entries(delta)) {
      if (field === "role" || value === null || value === undefined) continue;
      if (field === "tool_calls" && Array.isArray(value)) this.#addToolCalls(assembling, value as ToolCallDelta[]);
      else if (typeof value === "string") assembling.text.set(field, (assembling.text.get(field) ?? "") + value);
      else if (!(Array.isArray(value) && value.length === 0)) assembling.unreplayable = true;
    }
  }

  #addToolCalls(assembling: Assembling, deltas: ToolCallDelta[]): void {
    for (const delta of deltas) {
      const index = typeof delta.index === "number" ? delta.index : 0;
      const call = assembling.toolCalls.get(index) ?? { id: "", type: "", function: { name: "", arguments: "" } };
      if (typeof delta.id === "string" && call.id === "") call.id = delta.id;
      if (typeof delta.type === "string" && call.type === "") call.type = delta.type;
      if (typeof delta.function?.name === "string" && call.function.name === "")
        call.function.name = delta.function.name;
      if (typeof delta.function?.arguments === "string") call.function.arguments += delta.function.arguments;
      assembling.toolCalls.set(index, call);
    }
  }
}

/** A relayed stream that also assembles what it delivers; `completed` once it ended by itself (not cut, not failed). */
export interface AssemblingStream extends UpstreamStream<ChatCompletionChunk> {
  readonly completed: boolean;
  readonly assembler: ChunkAssembler;
}

/**
 * Passes `upstream` through unchanged, feeding each chunk the client is
 * sent to an assembler. `completed` turns true only when the stream ran to
 * its end: a client that left, an upstream failure or a cancel leave it
 * false, and such an answer is never cached.
 */
export function assembleWhileRelaying(upstream: UpstreamStream<ChatCompletionChunk>): AssemblingStream {
  const assembler = new ChunkAssembler();
  let completed = false;
  async function* relay() {
    for await (const chunk of upstream) {
      assembler.add(chunk);
      yield chunk;
    }
    completed = true;
  }
  return {
    [Symbol.asyncIterator]: () => relay(),
    cancel: () => upstream.cancel(),
    assembler,
    get completed() {
      return completed;
    },
  };
}
