import { describe, expect, it } from "vitest";
import { encodeSseComment, encodeSseData, encodeSseEvent, SSE_DONE } from "./encode-sse.js";

describe("SSE encoder", () => {
  it("writes one data line for single-line data", () => {
    expect(encodeSseData('{"a":1}')).toBe('data: {"a":1}\n\n');
    expect(SSE_DONE).toBe("data: [DONE]\n\n");
  });

  it("splits data on every kind of line break", () => {
    expect(encodeSseData("a\nb\r\nc\rd")).toBe("data: a\ndata: b\ndata: c\ndata: d\n\n");
    expect(encodeSseData("end\n")).toBe("data: end\ndata: \n\n");
  });

  it("names events and refuses line breaks in names and comments", () => {
    expect(encodeSseEvent({ event: "error", data: "x" })).toBe("event: error\ndata: x\n\n");
    expect(() => encodeSseEvent({ event: "a\nb", data: "x" })).toThrow(TypeError);
    expect(encodeSseComment("ping")).toBe(": ping\n\n");
    expect(() => encodeSseComment("a\rb")).toThrow(TypeError);
  });
});
