import { describe, expect, it } from "vitest";
import { parseRetryDelay } from "./gemini-error.js";
import { mapGeminiFinishReason } from "./map-gemini-finish-reason.js";
import { mapGeminiUsage } from "./map-gemini-usage.js";

describe("mapGeminiUsage", () => {
  it("input = prompt (cached included), output = candidates + thoughts", () => {
    expect(
      mapGeminiUsage({
        promptTokenCount: 100,
        cachedContentTokenCount: 40,
        candidatesTokenCount: 7,
        thoughtsTokenCount: 30,
      }),
    ).toEqual({ inputTokens: 100, cachedInputTokens: 40, outputTokens: 37 });
    expect(mapGeminiUsage({ promptTokenCount: 9 })).toEqual({ inputTokens: 9, cachedInputTokens: 0, outputTokens: 0 });
  });

  it("rejects absent or malformed figures", () => {
    expect(mapGeminiUsage(undefined)).toBeUndefined();
    expect(mapGeminiUsage({ candidatesTokenCount: 3 })).toBeUndefined();
    expect(mapGeminiUsage({ promptTokenCount: 5, cachedContentTokenCount: 6 })).toBeUndefined();
    expect(mapGeminiUsage({ promptTokenCount: 5, thoughtsTokenCount: -1 })).toBeUndefined();
    expect(mapGeminiUsage({ promptTokenCount: 5.5 })).toBeUndefined();
  });
});

describe("mapGeminiFinishReason", () => {
  it("maps Gemini's reasons to OpenAI's", () => {
    expect(mapGeminiFinishReason("STOP", false)).toBe("stop");
    expect(mapGeminiFinishReason("STOP", true)).toBe("tool_calls");
    expect(mapGeminiFinishReason("MAX_TOKENS", true)).toBe("length");
    for (const reason of ["SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII"]) {
      expect(mapGeminiFinishReason(reason, false)).toBe("content_filter");
    }
    expect(mapGeminiFinishReason("MALFORMED_FUNCTION_CALL", false)).toBe("stop");
  });
});

describe("parseRetryDelay", () => {
  it("reads protobuf durations, rounded up, bounded", () => {
    expect(parseRetryDelay("37s")).toBe(37);
    expect(parseRetryDelay("45.837906927s")).toBe(46);
    expect(parseRetryDelay("0.2s")).toBe(1);
    expect(parseRetryDelay("37")).toBeUndefined();
    expect(parseRetryDelay("-3s")).toBeUndefined();
    expect(parseRetryDelay("999999999s")).toBeUndefined();
    expect(parseRetryDelay(37)).toBeUndefined();
  });
});
