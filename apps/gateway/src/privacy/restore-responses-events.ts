import type { PiiVault, StreamRestorer } from "@modelfaucet/core";
import type { ResponsesEvent, ResponsesEventStream } from "@modelfaucet/providers";
import type { UpstreamStream } from "../streaming/relay-stream.js";
import { mapStrings } from "./map-strings.js";

/**
 * The events of a native Responses stream as the user sees them. A `….delta`
 * event's text passes through a StreamRestorer per output part (a
 * placeholder written over several deltas is restored whole); every other
 * event is restored in full (`….done` texts, items, the final `response`).
 * Before a `….done` event, what its part's restorer still holds goes out as
 * one more delta event — later events' `sequence_number` move up by one for
 * each such event, so the numbers still rise by one.
 */
export function restoreResponsesEvents(
  upstream: ResponsesEventStream,
  vault: PiiVault | undefined,
): UpstreamStream<ResponsesEvent> {
  if (!vault || vault.size === 0) return upstream;
  const restoring = vault;
  const restorers = new Map<string, StreamRestorer>();
  let shift = 0;

  const partKey = (type: string, payload: Readonly<Record<string, unknown>>) =>
    `${type}|${String(payload.item_id ?? payload.output_index ?? "")}|${String(payload.content_index ?? "")}`;

  function event(type: string, payload: Record<string, unknown>): ResponsesEvent {
    if (typeof payload.sequence_number === "number") payload.sequence_number += shift;
    return { event: type, data: JSON.stringify(payload), payload };
  }

  function* restore(item: ResponsesEvent): Generator<ResponsesEvent> {
    const type = typeof item.payload.type === "string" ? item.payload.type : (item.event ?? "");
    if (type.endsWith(".delta") && typeof item.payload.delta === "string") {
      const key = partKey(type.slice(0, -".delta".length), item.payload);
      let restorer = restorers.get(key);
      if (!restorer) restorers.set(key, (restorer = restoring.streamRestorer()));
      yield event(type, { ...item.payload, delta: restorer.push(item.payload.delta) });
      return;
    }
    if (type.endsWith(".done")) {
      const key = partKey(type.slice(0, -".done".length), item.payload);
      const held = restorers.get(key)?.end() ?? "";
      restorers.delete(key);
      if (held !== "") {
        const { text: _text, arguments: _arguments, part: _part, item: _item, ...where } = item.payload;
        const sequence = item.payload.sequence_number;
        yield event(`${type.slice(0, -".done".length)}.delta`, {
          ...where,
          type: `${type.slice(0, -".done".length)}.delta`,
          ...(typeof sequence === "number" ? { sequence_number: sequence } : {}),
          delta: held,
        });
        shift++;
      }
    }
    yield event(type, mapStrings(item.payload, (text) => restoring.restore(text)) as Record<string, unknown>);
  }

  async function* restored(): AsyncGenerator<ResponsesEvent> {
    for await (const item of upstream) yield* restore(item);
  }

  const iterator = restored();
  return { [Symbol.asyncIterator]: () => iterator, cancel: () => upstream.cancel() };
}
