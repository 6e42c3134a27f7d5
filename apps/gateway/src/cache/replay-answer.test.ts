import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ChunkAssembler } from "./answer-from-chunks.js";
import { answerFromCompletion, type CachedAnswer } from "./cached-answer.js";
import { chunksFromAnswer, completionFromAnswer, REPLAY_CHUNK_CHARS, textPieces } from "./replay-answer.js";

const identity = { id: "chatcmpl-1", created: 1_700_000_000 };

const answer: CachedAnswer = {
  v: 1,
  route_mode: "platform",
  model: "mock-small",
  system_fingerprint: "fp_1",
  choices: [
    {
      index: 0,
      message: {
        role: "assistant",
        content: "x".repeat(REPLAY_CHUNK_CHARS * 2 + 5),
        refusal: null,
        tool_calls: [{ id: "call_1", type: "function", function: { name: "lookup", arguments: '{"q":"a"}' } }],
      },
      finish_reason: "tool_calls",
    },
  ],
};

function replayed(cached: CachedAnswer) {
  const { chunks, finish } = chunksFromAnswer(cached, identity);
  const assembler = new ChunkAssembler();
  for (const chunk of [...chunks, finish]) assembler.add(chunk);
  return { chunks, finish, again: assembler.answer(cached.route_mode) };
}

describe("replaying a cached answer", () => {
  it("streams the role, the content in pieces, the tool calls, then the finish", () => {
    const { chunks, finish } = replayed(answer);
    const deltas = chunks.map((chunk) => chunk.choices[0]!.delta);
    expect(deltas[0]).toEqual({ role: "assistant", content: "" });
    expect(deltas.filter((delta) => "content" in delta && delta.content !== "")).toHaveLength(3);
    expect(deltas.at(-1)).toEqual({ tool_calls: [{ index: 0, ...answer.choices[0]!.message.tool_calls![0] }] });
    expect(finish.choices).toEqual([{ index: 0, delta: {}, logprobs: null, finish_reason: "tool_calls" }]);
    for (const chunk of [...chunks, finish]) {
      expect(chunk).toMatchObject({ ...identity, object: "chat.completion.chunk", system_fingerprint: "fp_1" });
    }
  });

  it("assembles back into the same answer (stream → cache → stream)", () => {
    const { again } = replayed(answer);
    // A null field has nothing to stream: it comes back absent.
    const { refusal: _null, ...message } = answer.choices[0]!.message;
    expect(again).toEqual({ ...answer, choices: [{ ...answer.choices[0]!, message }] });
  });

  it("round-trips any text, whole code points per piece", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 300 }), (content) => {
        const cached: CachedAnswer = {
          ...answer,
          choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
        };
        expect(replayed(cached).again?.choices[0]!.message.content).toBe(content);
        // No lone surrogate: a piece survives a UTF-8 round trip.
        for (const piece of textPieces(content)) expect(Buffer.from(piece).toString()).toBe(piece);
      }),
    );
  });

  it("is the same completion as JSON, with a fresh id", () => {
    const completion = completionFromAnswer(answer, identity);
    expect(completion).toMatchObject({ id: "chatcmpl-1", object: "chat.completion", created: identity.created });
    expect(answerFromCompletion(completion, "platform")).toEqual(answer);
  });
});

describe("what is cached", () => {
  const completion = (choice: Record<string, unknown>) => ({ model: "m", choices: [{ index: 0, ...choice }] });

  it("only completed answers a stream can replay", () => {
    const message = { role: "assistant", content: "hi" };
    expect(answerFromCompletion(completion({ message, finish_reason: "stop" }), "byok")).toBeDefined();
    expect(answerFromCompletion(completion({ message, finish_reason: null }), "byok")).toBeUndefined();
    expect(answerFromCompletion(completion({ message, finish_reason: "stop", logprobs: {} }), "byok")).toBeUndefined();
    const audio = { ...message, audio: { id: "a" } };
    expect(answerFromCompletion(completion({ message: audio, finish_reason: "stop" }), "byok")).toBeUndefined();
    const annotated = { ...message, annotations: [] };
    expect(answerFromCompletion(completion({ message: annotated, finish_reason: "stop" }), "byok")).toBeDefined();
  });

  it("a stream only once every choice finished", () => {
    const assembler = new ChunkAssembler();
    assembler.add({ object: "chat.completion.chunk", model: "m", choices: [{ index: 0, delta: { content: "a" } }] });
    expect(assembler.answer("platform")).toBeUndefined();
    assembler.add({ object: "chat.completion.chunk", choices: [{ index: 0, delta: {}, finish_reason: "length" }] });
    expect(assembler.answer("platform")?.choices[0]).toEqual({
      index: 0,
      message: { role: "assistant", content: "a" },
      finish_reason: "length",
    });
  });
});
