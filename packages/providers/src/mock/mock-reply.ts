import { countTextTokens } from "../tokens/count-tokens.js";

/**
 * The mock's replies are built from tokens whose count is known without
 * tokenizing: the first token is `Mock`, every other one a common word with a
 * leading space that o200k_base encodes as exactly one token, and a word
 * boundary separates each, so n pieces are exactly n tokens. Checked once
 * when the module loads.
 */
const FIRST_TOKEN = "Mock";
const WORDS = (
  "the quick brown fox jumps over lazy dog river stone light cloud green house water paper " +
  "north south east west music answer simple number small large happy quiet early later bright dark " +
  "market garden window silver golden yellow orange purple summer winter spring autumn ocean forest mountain valley " +
  "city village bridge road train plane ship letter story friend family teacher student doctor report signal"
)
  .split(" ")
  .map((word) => ` ${word}`);

assertOneTokenEach();

/**
 * The reply's tokens for a prompt, deterministic in the prompt's text:
 * `Mock` then words picked by a PRNG seeded with the FNV-1a hash of `seedText`
 * (the last user message). Exactly `tokens` long.
 */
export function mockReplyTokens(seedText: string, tokens: number): string[] {
  const pieces: string[] = [];
  if (tokens <= 0) return pieces;
  pieces.push(FIRST_TOKEN);
  let state = fnv1a(seedText) || 1;
  for (let i = 1; i < tokens; i++) {
    // xorshift32
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    pieces.push(WORDS[(state >>> 0) % WORDS.length] as string);
  }
  return pieces;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function assertOneTokenEach(): void {
  const all = [FIRST_TOKEN, ...WORDS];
  for (const piece of all) {
    if (countTextTokens(piece) !== 1) throw new Error(`mock reply piece ${JSON.stringify(piece)} is not one token`);
  }
  if (countTextTokens(all.join("")) !== all.length) throw new Error("mock reply pieces merge across boundaries");
}
