import { describe, expect, it } from "vitest";
import { settleUsage } from "./settle-usage.js";

const estimate = { estimateInputTokens: () => 50, estimateOutputTokens: () => 7 };
const estimated = { usage: { inputTokens: 50, cachedInputTokens: 0, outputTokens: 7 }, source: "estimated" };

describe("settleUsage", () => {
  it("trusts a plausible upstream figure", () => {
    const reported = { inputTokens: 40, cachedInputTokens: 10, outputTokens: 9 };
    expect(settleUsage({ reported, producedText: true, ...estimate })).toEqual({ usage: reported, source: "upstream" });
    const silent = { inputTokens: 40, cachedInputTokens: 0, outputTokens: 0 };
    expect(settleUsage({ reported: silent, producedText: false, ...estimate }).source).toBe("upstream");
  });

  it("estimates when usage is missing or zero while text was produced", () => {
    expect(settleUsage({ reported: undefined, producedText: true, ...estimate })).toEqual(estimated);
    const zeroOut = { inputTokens: 40, cachedInputTokens: 0, outputTokens: 0 };
    expect(settleUsage({ reported: zeroOut, producedText: true, ...estimate })).toEqual(estimated);
    const zeroIn = { inputTokens: 0, cachedInputTokens: 0, outputTokens: 3 };
    expect(settleUsage({ reported: zeroIn, producedText: true, ...estimate })).toEqual(estimated);
  });
});
