import { describe, expect, it } from "vitest";
import { mapOpenAIUsage } from "./map-openai-usage.js";

describe("mapOpenAIUsage", () => {
  it("maps prompt, cached and completion tokens", () => {
    expect(
      mapOpenAIUsage({
        prompt_tokens: 100,
        completion_tokens: 20,
        total_tokens: 120,
        prompt_tokens_details: { cached_tokens: 64 },
        completion_tokens_details: { reasoning_tokens: 5 },
      }),
    ).toEqual({ inputTokens: 100, cachedInputTokens: 64, outputTokens: 20 });
    expect(mapOpenAIUsage({ prompt_tokens: 3, completion_tokens: 0 })).toEqual({
      inputTokens: 3,
      cachedInputTokens: 0,
      outputTokens: 0,
    });
  });

  it("refuses what cannot be billed from", () => {
    for (const raw of [
      undefined,
      null,
      "usage",
      { prompt_tokens: 1 },
      { prompt_tokens: -1, completion_tokens: 1 },
      { prompt_tokens: 1.5, completion_tokens: 1 },
      { prompt_tokens: "10", completion_tokens: 1 },
      { prompt_tokens: 10, completion_tokens: 1, prompt_tokens_details: { cached_tokens: 11 } },
    ]) {
      expect(mapOpenAIUsage(raw)).toBeUndefined();
    }
  });
});
