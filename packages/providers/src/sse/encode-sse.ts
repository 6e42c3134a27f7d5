import type { SseEvent } from "./sse-event.js";

/** The terminator OpenAI sends after the last chunk. */
export const SSE_DONE = "data: [DONE]\n\n";

/**
 * One event carrying `data`, ready to write. Data containing line breaks
 * (LF, CR or CRLF) becomes several `data:` lines, which a parser joins back
 * with LF. JSON from `JSON.stringify` never contains raw line breaks, so the
 * common case is a single line.
 */
export function encodeSseData(data: string): string {
  if (data.indexOf("\n") === -1 && data.indexOf("\r") === -1) return `data: ${data}\n\n`;
  return `${dataLines(data)}\n`;
}

/** An event with an optional `event:` name. The name must not contain line breaks. */
export function encodeSseEvent(event: SseEvent): string {
  if (event.event === undefined) return encodeSseData(event.data);
  if (/[\r\n]/.test(event.event)) throw new TypeError("SSE event name must not contain line breaks");
  return `event: ${event.event}\n${encodeSseData(event.data)}`;
}

/** A comment line (e.g. a keep-alive heartbeat); parsers ignore it. */
export function encodeSseComment(text: string): string {
  if (/[\r\n]/.test(text)) throw new TypeError("SSE comment must not contain line breaks");
  return `: ${text}\n\n`;
}

function dataLines(data: string): string {
  let out = "";
  let start = 0;
  for (let i = 0; i < data.length; i++) {
    const code = data.charCodeAt(i);
    if (code !== 10 && code !== 13) continue;
    out += `data: ${data.slice(start, i)}\n`;
    if (code === 13 && data.charCodeAt(i + 1) === 10) i += 1;
    start = i + 1;
  }
  return `${out}data: ${data.slice(start)}\n`;
}
