import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { O200K_TOKEN_SPLIT_REGEX } from "gpt-tokenizer/encodingParams/constants";
import { describe, expect, it } from "vitest";
import { countChatPromptTokens, countTextTokens } from "./count-tokens.js";
import { MAX_EXACT_PIECE_CHARS } from "./o200k-chunks.js";
import {
  IMAGE_PART_TOKENS,
  LOW_DETAIL_IMAGE_PART_TOKENS,
  NON_TEXT_PART_TOKENS,
  REPLY_PRIMING_TOKENS,
  TOKENS_PER_MESSAGE,
  TOKENS_PER_NAME,
} from "./prompt-texts.js";

describe("countTextTokens (o200k_base)", () => {
  it("counts known strings", () => {
    expect(countTextTokens("")).toBe(0);
    expect(countTextTokens("hello world")).toBe(2);
    expect(countTextTokens("The quick brown fox jumps over the lazy dog.")).toBe(10);
  });

  it("counts special-token spellings as ordinary text instead of throwing", () => {
    expect(countTextTokens("<|endoftext|>")).toBeGreaterThan(1);
  });
});

describe("countChatPromptTokens", () => {
  const frame = (messages: number) => REPLY_PRIMING_TOKENS + messages * TOKENS_PER_MESSAGE;
  const user = countTextTokens("user");
  const system = countTextTokens("system");
  const assistant = countTextTokens("assistant");

  it("counts framing, role and text per message, plus the reply priming", () => {
    const messages = [
      { role: "system", content: "You are terse." },
      { role: "user", content: "hello world" },
    ];
    // Matches OpenAI's cookbook formula (3 per message, 3 for the reply).
    expect(countChatPromptTokens(messages)).toBe(
      frame(2) + system + countTextTokens("You are terse.") + user + countTextTokens("hello world"),
    );
  });

  it("counts text parts and a fixed allowance per image or other part", () => {
    const messages = [
      {
        role: "user",
        content: [
          { type: "text", text: "What is in" },
          { type: "image_url", image_url: { url: "https://example.com/a.png" } },
          { type: "text", text: " these pictures?" },
          { type: "image_url", image_url: { url: "data:image/png;base64,AAAA", detail: "low" } },
          { type: "input_audio", input_audio: { data: "AAAA".repeat(1000), format: "wav" } },
        ],
      },
    ];
    expect(countChatPromptTokens(messages)).toBe(
      frame(1) +
        user +
        countTextTokens("What is in") +
        countTextTokens(" these pictures?") +
        IMAGE_PART_TOKENS +
        LOW_DETAIL_IMAGE_PART_TOKENS +
        NON_TEXT_PART_TOKENS,
    );
  });

  it("counts names, tool calls, tool results and tool definitions", () => {
    const messages = [
      { role: "user", name: "ann", content: "weather?" },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "c1", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } }],
      },
      { role: "tool", tool_call_id: "c1", content: "sunny" },
    ];
    const tools = [{ type: "function", function: { name: "get_weather", parameters: { type: "object" } } }];
    const withoutTools =
      frame(3) +
      user +
      countTextTokens("ann") +
      TOKENS_PER_NAME +
      countTextTokens("weather?") +
      assistant +
      countTextTokens("get_weather") +
      countTextTokens('{"city":"Oslo"}') +
      countTextTokens("tool") +
      countTextTokens("c1") +
      countTextTokens("sunny");
    expect(countChatPromptTokens(messages)).toBe(withoutTools);
    expect(countChatPromptTokens(messages, tools)).toBe(withoutTools + countTextTokens(JSON.stringify(tools)));
  });

  it("never throws on malformed messages", () => {
    expect(countChatPromptTokens([null, 3, "x", { role: 5, content: { nope: true } }])).toBe(frame(4));
  });
});

describe("countTextTokens on long pieces", () => {
  const exact = (text: string) => countTokens(text, { disallowedSpecial: new Set<string>() });

  it("equals the tokenizer's count when every piece is short, exceeds it otherwise (random text)", () => {
    // Spaces, line breaks, no-break and ideographic spaces, letters of several scripts, combining marks,
    // digits, punctuation and contractions: where the tokenizer's regex cuts pieces, and where it looks ahead.
    const alphabet = [
      " ",
      "\n",
      "\r\n",
      "\t",
      "\u00a0",
      "\u3000",
      "a",
      "B",
      "é",
      "\u0301",
      "中",
      "😀",
      "1",
      "!",
      "/",
      "/\n",
      "'s",
      "'S",
    ];
    let seed = 1;
    const next = (below: number) => (seed = (seed * 48_271) % 2_147_483_647) % below;
    let compared = 0;
    for (let i = 0; i < 200; i++) {
      let text = "";
      const length = 1 + next(i % 2 === 0 ? 300 : 5000);
      while (text.length < length) {
        const item = alphabet[next(alphabet.length)]!;
        text += next(8) === 0 ? item.repeat(1 + next(i % 3 === 0 ? 80 : 20)) : item;
      }
      const longest = Math.max(...[...text.matchAll(O200K_TOKEN_SPLIT_REGEX)].map((piece) => piece[0].length));
      if (longest <= MAX_EXACT_PIECE_CHARS) {
        compared += 1;
        expect(countTextTokens(text)).toBe(exact(text));
      } else expect(countTextTokens(text)).toBeGreaterThanOrEqual(exact(text));
    }
    expect(compared).toBeGreaterThan(100);
  });

  it("bounds a piece longer than MAX_EXACT_PIECE_CHARS by its UTF-8 bytes, never below the exact count", () => {
    for (const run of ["y", "!", " ", "中", "😀", "e\u0301"]) {
      const text = `start ${run.repeat(2000)} end`;
      expect(countTextTokens(text)).toBeGreaterThanOrEqual(exact(text));
      expect(countTextTokens(text)).toBeLessThanOrEqual(Buffer.byteLength(text));
    }
    expect(countTextTokens("y".repeat(MAX_EXACT_PIECE_CHARS))).toBe(exact("y".repeat(MAX_EXACT_PIECE_CHARS)));
  });

  it('counts 300,000 × "y" in linear time (the exact tokenizer took 61 s)', () => {
    const started = performance.now();
    expect(countTextTokens("y".repeat(300_000))).toBe(300_000);
    expect(performance.now() - started).toBeLessThan(200);
  });
});
