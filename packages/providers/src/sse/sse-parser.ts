import type { SseEvent } from "./sse-event.js";

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const SPACE = 0x20;

/** Longest line accepted by default, in bytes (one `data:` line holds one JSON chunk). */
export const DEFAULT_MAX_SSE_LINE_BYTES = 1024 * 1024;
/** Most `data` bytes accepted in one event by default. */
export const DEFAULT_MAX_SSE_EVENT_BYTES = 8 * 1024 * 1024;

export interface SseParserOptions {
  /** Longest line, in bytes, before the stream is rejected. */
  maxLineBytes?: number;
  /** Most data bytes in one event before the stream is rejected. */
  maxEventBytes?: number;
}

/** A stream that breaks a limit of the parser; its bytes are not echoed. */
export class SseLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SseLimitError";
  }
}

/**
 * Incremental `text/event-stream` parser working on bytes: lines end at
 * CRLF, LF or CR (a CR at the end of one chunk and an LF at the start of the
 * next are one terminator), each complete line is decoded as UTF-8 on its
 * own, so a chunk boundary inside a multi-byte character or a line is
 * harmless. `id:` and `retry:` are ignored (we never reconnect); comments
 * are skipped; an unterminated event at the end of the stream is dropped, as
 * the spec says.
 */
export class SseParser {
  readonly #maxLineBytes: number;
  readonly #maxEventBytes: number;
  /** Bytes of the current, unterminated line carried over from earlier chunks. */
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  /** The previous chunk ended with CR: an LF opening the next one belongs to it. */
  #skipLeadingLf = false;
  #firstLine = true;
  #dataLines: string[] = [];
  #eventBytes = 0;
  #eventType: string | undefined;

  constructor(options: SseParserOptions = {}) {
    this.#maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_SSE_LINE_BYTES;
    this.#maxEventBytes = options.maxEventBytes ?? DEFAULT_MAX_SSE_EVENT_BYTES;
  }

  /** Feeds the next bytes; returns the events they completed, in order. */
  push(chunk: Uint8Array | string): SseEvent[] {
    const buf = toBuffer(chunk);
    const events: SseEvent[] = [];
    let pos = 0;
    if (this.#skipLeadingLf && buf.length > 0) {
      this.#skipLeadingLf = false;
      if (buf[0] === LF) pos = 1;
    }
    let nextCr = buf.indexOf(CR, pos);
    let nextLf = buf.indexOf(LF, pos);
    while (nextCr !== -1 || nextLf !== -1) {
      const isCr = nextLf === -1 || (nextCr !== -1 && nextCr < nextLf);
      const end = isCr ? nextCr : nextLf;
      this.#completeLine(buf, pos, end, events);
      pos = end + 1;
      if (isCr) {
        if (pos === buf.length) this.#skipLeadingLf = true;
        else if (buf[pos] === LF) pos += 1;
      }
      if (nextCr !== -1 && nextCr < pos) nextCr = buf.indexOf(CR, pos);
      if (nextLf !== -1 && nextLf < pos) nextLf = buf.indexOf(LF, pos);
    }
    if (pos < buf.length) this.#keepPartialLine(buf, pos);
    return events;
  }

  /** Whether bytes of an unfinished line or event are buffered (a cut stream). */
  get hasPartialEvent(): boolean {
    return this.#pendingBytes > 0 || this.#dataLines.length > 0;
  }

  #keepPartialLine(buf: Buffer, start: number): void {
    this.#pendingBytes += buf.length - start;
    if (this.#pendingBytes > this.#maxLineBytes) {
      throw new SseLimitError(`event-stream line longer than ${this.#maxLineBytes} bytes`);
    }
    // Copied: the caller may reuse its chunk buffer.
    this.#pending.push(Buffer.from(buf.subarray(start)));
  }

  #completeLine(buf: Buffer, start: number, end: number, events: SseEvent[]): void {
    if (this.#pendingBytes > 0) {
      this.#pending.push(buf.subarray(start, end));
      const line = Buffer.concat(this.#pending, this.#pendingBytes + end - start);
      this.#pending = [];
      this.#pendingBytes = 0;
      this.#processLine(line, 0, line.length, events);
    } else {
      this.#processLine(buf, start, end, events);
    }
  }

  #processLine(line: Buffer, start: number, end: number, events: SseEvent[]): void {
    if (end - start > this.#maxLineBytes) {
      throw new SseLimitError(`event-stream line longer than ${this.#maxLineBytes} bytes`);
    }
    if (this.#firstLine) {
      this.#firstLine = false;
      if (end - start >= 3 && line[start] === 0xef && line[start + 1] === 0xbb && line[start + 2] === 0xbf) start += 3;
    }
    if (start === end) {
      this.#dispatch(events);
      return;
    }
    if (line[start] === COLON) return; // comment
    let colon = line.indexOf(COLON, start);
    if (colon === -1 || colon > end) colon = end;
    let valueStart = colon < end ? colon + 1 : end;
    if (valueStart < end && line[valueStart] === SPACE) valueStart += 1;
    const field = line.toString("latin1", start, colon);
    if (field === "data") {
      this.#eventBytes += end - valueStart;
      if (this.#eventBytes > this.#maxEventBytes) {
        throw new SseLimitError(`event-stream event larger than ${this.#maxEventBytes} bytes`);
      }
      this.#dataLines.push(line.toString("utf8", valueStart, end));
    } else if (field === "event") {
      this.#eventType = line.toString("utf8", valueStart, end);
    }
  }

  #dispatch(events: SseEvent[]): void {
    if (this.#dataLines.length > 0) {
      const data = this.#dataLines.length === 1 ? (this.#dataLines[0] as string) : this.#dataLines.join("\n");
      events.push(this.#eventType === undefined ? { data } : { event: this.#eventType, data });
    }
    this.#dataLines = [];
    this.#eventBytes = 0;
    this.#eventType = undefined;
  }
}

function toBuffer(chunk: Uint8Array | string): Buffer {
  if (typeof chunk === "string") return Buffer.from(chunk, "utf8");
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}
