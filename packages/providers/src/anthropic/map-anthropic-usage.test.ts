import { describe, expect, it } from "vitest";
import { mapAnthropicStopReason } from "./map-anthropic-stop-reason.js";
import { mapAnthropicUsage, toOpenAIUsage } from "./map-anthropic-usage.js";

describe("mapAnthropicUsage", () => {
  it("adds cache reads and writes to the prompt count; cached = cache reads", () => {
    const usage = mapAnthropicUsage({
      input_tokens: 21,
      cache_creation_input_tokens: 188,
      cache_read_input_tokens: 1800,
      output_tokens: 393,
    });
    expect(usage).toEqual({ inputTokens: 2009, cachedInputTokens: 1800, outputTokens: 393 });
    expect(toOpenAIUsage(usage!)).toEqual({
      prompt_tokens: 2009,
      completion_tokens: 393,
      total_tokens: 2402,
      prompt_tokens_details: { cached_tokens: 1800 },
    });
  });

  it("treats absent or null cache counts as 0 and rejects malformed figures", () => {
    expect(mapAnthropicUsage({ input_tokens: 5, output_tokens: 1, cache_read_input_tokens: null })).toEqual({
      inputTokens: 5,
      cachedInputTokens: 0,
      outputTokens: 1,
    });
    expect(mapAnthropicUsage(undefined)).toBeUndefined();
    expect(mapAnthropicUsage({ input_tokens: 5 })).toBeUndefined();
    expect(mapAnthropicUsage({ input_tokens: -1, output_tokens: 1 })).toBeUndefined();
    expect(mapAnthropicUsage({ input_tokens: 5, output_tokens: 1, cache_read_input_tokens: 1.5 })).toBeUndefined();
  });
});

describe("mapAnthropicStopReason", () => {
  it("maps every documented stop reason", () => {
    expect(mapAnthropicStopReason("end_turn")).toBe("stop");
    expect(mapAnthropicStopReason("stop_sequence")).toBe("stop");
    expect(mapAnthropicStopReason("pause_turn")).toBe("stop");
    expect(mapAnthropicStopReason("max_tokens")).toBe("length");
    expect(mapAnthropicStopReason("model_context_window_exceeded")).toBe("length");
    expect(mapAnthropicStopReason("tool_use")).toBe("tool_calls");
    expect(mapAnthropicStopReason("refusal")).toBe("content_filter");
    expect(mapAnthropicStopReason(null)).toBe("stop");
  });
});
