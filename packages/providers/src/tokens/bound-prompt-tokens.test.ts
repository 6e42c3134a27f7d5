import { describe, expect, it } from "vitest";
import { boundPromptTokens, DEFAULT_TOKEN_BOUND_LIMITS } from "./bound-prompt-tokens.js";
import { countPromptTokens } from "./count-tokens.js";
import { chatPromptTexts } from "./prompt-texts.js";

const prose = "The quick brown fox jumps over the lazy dog. ".repeat(400);
const prompt = chatPromptTexts(
  [
    { role: "system", content: "You are terse." },
    {
      role: "user",
      content: [
        { type: "text", text: prose },
        { type: "image_url", image_url: { url: "x" } },
      ],
    },
  ],
  [{ type: "function", function: { name: "f", parameters: { type: "object" } } }],
);

/** A clock that moves `stepMs` each time it is read. */
function steppingClock(stepMs: number): () => number {
  let now = 0;
  return () => (now += stepMs);
}

/** How many turns other work got on the event loop while `count` ran. */
async function turnsDuring(count: Promise<number>): Promise<{ bound: number; turns: number }> {
  let turns = 0;
  let done = false;
  const tick = () => {
    if (done) return;
    turns += 1;
    setImmediate(tick);
  };
  setImmediate(tick);
  const bound = await count;
  done = true;
  return { bound, turns };
}

describe("boundPromptTokens", () => {
  it("equals the exact count of an ordinary prompt, counted within one slice", async () => {
    const stopped = () => 0;
    const { bound, turns } = await turnsDuring(boundPromptTokens(prompt, DEFAULT_TOKEN_BOUND_LIMITS, stopped));
    expect(bound).toBe(countPromptTokens(prompt));
    expect(turns).toBe(0);
    expect(await boundPromptTokens(prompt)).toBe(countPromptTokens(prompt));
  });

  it("lets the event loop take a turn each time a slice has run its time", async () => {
    const sliced = boundPromptTokens(prompt, { sliceMs: 1, budgetMs: 1_000_000 }, steppingClock(1));
    const { bound, turns } = await turnsDuring(sliced);
    expect(bound).toBe(countPromptTokens(prompt));
    expect(turns).toBeGreaterThan(5);
  });

  it("counts what the budget did not reach as UTF-8 bytes: never below the exact count", async () => {
    const bytes = prompt.texts.reduce((sum, text) => sum + Buffer.byteLength(text), prompt.fixedTokens);
    expect(await boundPromptTokens(prompt, { sliceMs: 10, budgetMs: 0 })).toBe(bytes);
    const partial = await boundPromptTokens(prompt, { sliceMs: 1000, budgetMs: 5 }, steppingClock(1));
    expect(partial).toBeGreaterThan(countPromptTokens(prompt));
    expect(partial).toBeLessThan(bytes);
  });
});
