import type { SseEvent } from "./sse-event.js";
import { SseParser, type SseParserOptions } from "./sse-parser.js";

/**
 * Parses an event stream from any async source of bytes (a Node Readable,
 * an undici body, an async generator). Ends when the source ends; an
 * unterminated last event is dropped. Source errors propagate unchanged.
 */
export async function* parseSse(
  source: AsyncIterable<Uint8Array | string>,
  options: SseParserOptions = {},
): AsyncGenerator<SseEvent, void, undefined> {
  const parser = new SseParser(options);
  for await (const chunk of source) {
    const events = parser.push(chunk);
    for (const event of events) yield event;
  }
}
