import { describe, expect, it } from "vitest";

import { requiredChatCapabilities, requiredResponsesCapabilities } from "./required-capabilities.js";

describe("requiredChatCapabilities", () => {
  it("needs nothing of a plain chat", () => {
    expect(
      requiredChatCapabilities({ messages: [{ content: "hi" }], tools: [], response_format: { type: "json_object" } }),
    ).toEqual([]);
  });

  it("reads tools, functions, a JSON schema and image parts", () => {
    const image = { type: "image_url", image_url: { url: "https://example.com/a.png" } };
    expect(
      requiredChatCapabilities({
        messages: [{ content: "look" }, { content: [{ type: "text", text: "this" }, image] }],
        tools: [{ type: "function", function: { name: "f" } }],
        response_format: { type: "json_schema", json_schema: { name: "x", schema: {} } },
      }),
    ).toEqual(["tools", "json_schema", "vision"]);
    expect(requiredChatCapabilities({ messages: [{ content: null }], functions: [{ name: "f" }] })).toEqual(["tools"]);
  });
});

describe("requiredResponsesCapabilities", () => {
  it("reads tools, text.format and input_image items or parts", () => {
    expect(requiredResponsesCapabilities({ input: "hi" })).toEqual([]);
    expect(
      requiredResponsesCapabilities({
        input: [{ role: "user", content: [{ type: "input_image", image_url: "https://example.com/a.png" }] }],
        tools: [{ type: "function", name: "f" }],
        text: { format: { type: "json_schema", name: "x", schema: {} } },
      }),
    ).toEqual(["tools", "json_schema", "vision"]);
    expect(requiredResponsesCapabilities({ input: [{ type: "input_image", image_url: "x" }] })).toEqual(["vision"]);
  });
});
