import type { PiiVault, StreamRestorer } from "@modelfaucet/core";
import type { ChatCompletionChunk } from "@modelfaucet/providers";
import type { UpstreamStream } from "../streaming/relay-stream.js";

interface Choice {
  index?: unknown;
  finish_reason?: unknown;
  delta?: Record<string, unknown>;
}

interface ToolCallDelta {
  index?: unknown;
  function?: { arguments?: unknown };
}

/**
 * The chunks of a chat stream as the user sees them: each text a delta
 * carries (`content`, `refusal`, reasoning, tool call `arguments`) passes
 * through a StreamRestorer of its own, so a placeholder the model wrote over
 * several chunks is restored whole. What a restorer holds back (at most the
 * start of a placeholder) goes out on the choice's finish chunk; a stream
 * that ended without one gets a last chunk carrying it, before the stream's
 * own end (or its failure). Usage and cancel are the upstream's.
 */
export function restoreChatChunks(
  upstream: UpstreamStream<ChatCompletionChunk>,
  vault: PiiVault | undefined,
): UpstreamStream<ChatCompletionChunk> {
  if (!vault || vault.size === 0) return upstream;
  const restoring = vault;
  const restorers = new Map<string, StreamRestorer>();
  let last: ChatCompletionChunk | undefined;

  function restorerFor(key: string): StreamRestorer {
    let restorer = restorers.get(key);
    if (!restorer) restorers.set(key, (restorer = restoring.streamRestorer()));
    return restorer;
  }

  function restoreChoice(choice: Choice): Choice {
    const index = String(choice.index ?? 0);
    const delta: Record<string, unknown> = { ...choice.delta };
    for (const [field, value] of Object.entries(delta)) {
      if (typeof value === "string" && field !== "role") delta[field] = restorerFor(`${index}:${field}`).push(value);
    }
    if (Array.isArray(delta.tool_calls)) {
      delta.tool_calls = (delta.tool_calls as ToolCallDelta[]).map((call) => {
        const args = call.function?.arguments;
        if (typeof args !== "string") return call;
        const restored = restorerFor(`${index}:tool:${String(call.index ?? 0)}`).push(args);
        return { ...call, function: { ...call.function, arguments: restored } };
      });
    }
    if (typeof choice.finish_reason === "string") flushChoice(index, delta);
    return { ...choice, delta };
  }

  /** Appends what the choice's restorers hold to `delta` (and forgets them): the choice is over. */
  function flushChoice(index: string, delta: Record<string, unknown>): void {
    for (const [key, restorer] of restorers) {
      if (!key.startsWith(`${index}:`)) continue;
      restorers.delete(key);
      const held = restorer.end();
      if (held === "") continue;
      const [, kind, which] = key.split(":");
      if (kind === "tool") {
        const calls = Array.isArray(delta.tool_calls) ? (delta.tool_calls as ToolCallDelta[]) : [];
        delta.tool_calls = [...calls, { index: Number(which), function: { arguments: held } }];
      } else {
        delta[kind!] = (typeof delta[kind!] === "string" ? (delta[kind!] as string) : "") + held;
      }
    }
  }

  /** A chunk carrying what is still held for choices that never finished; undefined when nothing is. */
  function leftovers(): ChatCompletionChunk | undefined {
    const choices = new Map<string, Record<string, unknown>>();
    for (const key of restorers.keys()) choices.set(key.split(":")[0]!, {});
    for (const [index, delta] of choices) flushChoice(index, delta);
    const held = [...choices].filter(([, delta]) => Object.keys(delta).length > 0);
    if (held.length === 0) return undefined;
    const { id, object, created, model } = last ?? ({} as Partial<ChatCompletionChunk>);
    return {
      id,
      object,
      created,
      model,
      choices: held.map(([index, delta]) => ({ index: Number(index), delta, finish_reason: null })),
    };
  }

  async function* restored(): AsyncGenerator<ChatCompletionChunk> {
    try {
      for await (const chunk of upstream) {
        last = chunk;
        yield { ...chunk, choices: (chunk.choices as Choice[]).map(restoreChoice) };
      }
    } catch (error) {
      // Upstream failed midway: what was held goes out before the failure does.
      const rest = leftovers();
      if (rest) yield rest;
      throw error;
    }
    const rest = leftovers();
    if (rest) yield rest;
  }

  const iterator = restored();
  return {
    [Symbol.asyncIterator]: () => iterator,
    cancel: () => upstream.cancel(),
  };
}
