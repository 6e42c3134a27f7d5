import { describe, expect, it } from "vitest";
import {
  countChatPromptTokens,
  countTextTokens,
  IMAGE_PART_TOKENS,
  LOW_DETAIL_IMAGE_PART_TOKENS,
  NON_TEXT_PART_TOKENS,
  REPLY_PRIMING_TOKENS,
  TOKENS_PER_MESSAGE,
  TOKENS_PER_NAME,
} from "./count-tokens.js";

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
