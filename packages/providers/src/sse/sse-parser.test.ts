import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeSseComment, encodeSseData, encodeSseEvent } from "./encode-sse.js";
import { parseSse } from "./parse-sse.js";
import type { SseEvent } from "./sse-event.js";
import { SseLimitError, SseParser } from "./sse-parser.js";

function parseChunks(chunks: readonly (Uint8Array | string)[]): SseEvent[] {
  const parser = new SseParser();
  return chunks.flatMap((chunk) => parser.push(chunk));
}

function splitAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const parts: Uint8Array[] = [];
  let start = 0;
  for (const point of points) {
    parts.push(bytes.subarray(start, point));
    start = point;
  }
  parts.push(bytes.subarray(start));
  return parts;
}

describe("SseParser", () => {
  it("parses data, event names, comments and multi-line data", () => {
    const text = ': hello\n\ndata: {"a":1}\n\nevent: ping\ndata: one\ndata:two\ndata:  three\n\ndata\n\n';
    expect(parseChunks([text])).toEqual([
      { data: '{"a":1}' },
      { event: "ping", data: "one\ntwo\n three" },
      { data: "" },
    ]);
  });

  it("accepts CRLF, CR and LF line ends, mixed", () => {
    expect(parseChunks(["data: a\r\n\r\ndata: b\r\rdata: c\n\n"])).toEqual([
      { data: "a" },
      { data: "b" },
      { data: "c" },
    ]);
  });

  it("treats a CR ending one chunk and an LF starting the next as one line end", () => {
    expect(parseChunks(["data: a\r", "\ndata: b\r", "\n\r", "\n"])).toEqual([{ data: "a\nb" }]);
  });

  it("decodes a multi-byte character split across chunks", () => {
    const bytes = Buffer.from("data: héllo 🌍 世界\n\n", "utf8");
    const cut = bytes.indexOf(0xf0) + 2; // inside the 4-byte emoji
    expect(parseChunks([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual([{ data: "héllo 🌍 世界" }]);
  });

  it("ignores id and retry fields, unknown fields and a leading BOM", () => {
    expect(parseChunks(["\ufeffid: 7\nretry: 10\nfoo: bar\ndata: x\n\n"])).toEqual([{ data: "x" }]);
  });

  it("resets the event name after each event and skips events without data", () => {
    expect(parseChunks(["event: a\n\ndata: 1\n\nevent: b\ndata: 2\n\ndata: 3\n\n"])).toEqual([
      { data: "1" },
      { event: "b", data: "2" },
      { data: "3" },
    ]);
  });

  it("drops an unterminated event at the end and reports it as partial", () => {
    const parser = new SseParser();
    expect(parser.push("data: done\n\ndata: cut")).toEqual([{ data: "done" }]);
    expect(parser.hasPartialEvent).toBe(true);
  });

  it("rejects lines and events over the limits", () => {
    expect(() => new SseParser({ maxLineBytes: 8 }).push("data: 0123456789")).toThrow(SseLimitError);
    expect(() => new SseParser({ maxLineBytes: 8 }).push("data: 0123456789\n")).toThrow(SseLimitError);
    const parser = new SseParser({ maxEventBytes: 10 });
    expect(() => parser.push("data: 123456\ndata: 123456\n")).toThrow(SseLimitError);
  });

  it("reads from any async source of bytes", async () => {
    async function* source() {
      yield Buffer.from("data: 1\n");
      yield new Uint8Array(Buffer.from("\ndata: 2\n\n"));
    }
    const events: SseEvent[] = [];
    for await (const event of parseSse(source())) events.push(event);
    expect(events).toEqual([{ data: "1" }, { data: "2" }]);
  });
});

const eventArb = fc.record(
  {
    event: fc.stringMatching(/^[a-z][a-z_.]{0,11}$/),
    data: fc.string({ unit: "binary", maxLength: 40 }),
  },
  { requiredKeys: ["data"] },
);
const lineEndArb = fc.constantFrom("\n", "\r\n", "\r");

describe("SSE property: encoding then re-chunking anywhere", () => {
  it("yields the same events whatever the chunk boundaries and line ends", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(eventArb, fc.boolean()), { maxLength: 12 }),
        lineEndArb,
        fc.array(fc.nat(), { maxLength: 20 }),
        (items, lineEnd, cuts) => {
          let text = "";
          for (const [event, withComment] of items) {
            if (withComment) text += encodeSseComment("keep-alive");
            text += encodeSseEvent(event);
          }
          const bytes = Buffer.from(text.replace(/\r\n|\r|\n/g, lineEnd), "utf8");
          const expected = items.map(([event]) => ({ ...event, data: event.data.replace(/\r\n|\r|\n/g, "\n") }));
          expect(parseChunks(splitAt(bytes, cuts))).toEqual(expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("parses arbitrary bytes the same in one chunk or many", () => {
    const byteArb = fc.constantFrom(
      ..."data: event:x\r\n\n\r:".split("").map((c) => c.charCodeAt(0)),
      0xc3,
      0xa9,
      0xf0,
      0x9f,
      0x8c,
      0x8d,
    );
    fc.assert(
      fc.property(fc.array(byteArb, { maxLength: 200 }), fc.array(fc.nat(), { maxLength: 30 }), (byteList, cuts) => {
        const bytes = new Uint8Array(byteList);
        expect(parseChunks(splitAt(bytes, cuts))).toEqual(parseChunks([bytes]));
      }),
      { numRuns: 1000 },
    );
  });

  it("round-trips single data payloads through encodeSseData", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 60 }), (data) => {
        expect(parseChunks([encodeSseData(data)])).toEqual([{ data: data.replace(/\r\n|\r|\n/g, "\n") }]);
      }),
    );
  });
});
