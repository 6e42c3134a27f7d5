import { describe, expect, it } from "vitest";
import { convertToGeminiRequest } from "./convert-to-gemini-request.js";

const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

describe("convertToGeminiRequest", () => {
  it("translates a multi-turn tool conversation, merging tool results into one user turn", () => {
    const { body, warnings } = convertToGeminiRequest({
      model: "gemini-2.5-flash",
      messages: [
        { role: "developer", content: [{ type: "text", text: "Be terse." }] },
        {
          role: "user",
          content: [
            { type: "text", text: "Compare these." },
            { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } },
            { type: "image_url", image_url: { url: "https://example.com/photos/cat.JPG?size=large" } },
            { type: "image_url", image_url: { url: "https://example.com/render" } },
            { type: "input_audio", input_audio: { data: "UklGRg==", format: "wav" } },
            { type: "file", file: { file_data: "data:application/pdf;base64,JVBERi0=", filename: "a.pdf" } },
          ],
        },
        {
          role: "assistant",
          content: "Checking.",
          tool_calls: [
            {
              id: "call_a",
              type: "function",
              function: { name: "get_weather", arguments: '{"location":"Oslo"}' },
              extra_content: { google: { thought_signature: "sig-1" } },
            },
            { id: "call_b", type: "function", function: { name: "get_time", arguments: "" } },
          ],
        },
        { role: "tool", tool_call_id: "call_b", content: "10:00" },
        { role: "tool", tool_call_id: "call_a", content: '{"temp":21}' },
        { role: "user", content: "Thanks" },
      ],
    });
    expect(warnings).toEqual([]);
    expect(body).toEqual({
      systemInstruction: { parts: [{ text: "Be terse." }] },
      contents: [
        {
          role: "user",
          parts: [
            { text: "Compare these." },
            { inlineData: { mimeType: "image/png", data: PNG } },
            { fileData: { fileUri: "https://example.com/photos/cat.JPG?size=large", mimeType: "image/jpeg" } },
            { fileData: { fileUri: "https://example.com/render" } },
            { inlineData: { mimeType: "audio/wav", data: "UklGRg==" } },
            { inlineData: { mimeType: "application/pdf", data: "JVBERi0=" } },
          ],
        },
        {
          role: "model",
          parts: [
            { text: "Checking." },
            { functionCall: { name: "get_weather", args: { location: "Oslo" } }, thoughtSignature: "sig-1" },
            { functionCall: { name: "get_time", args: {} } },
          ],
        },
        {
          role: "user",
          parts: [
            { functionResponse: { name: "get_time", response: { output: "10:00" } } },
            { functionResponse: { name: "get_weather", response: { output: { temp: 21 } } } },
            { text: "Thanks" },
          ],
        },
      ],
    });
  });

  it("maps generation settings, tool_choice and json_schema, and warns about the rest", () => {
    const { body, warnings } = convertToGeminiRequest({
      model: "gemini-2.5-flash",
      messages: [{ role: "user", content: "Hi", name: "ann" }],
      max_tokens: 50,
      max_completion_tokens: 100,
      temperature: 0.7,
      top_p: 0.9,
      stop: "END",
      n: 2,
      seed: 7,
      presence_penalty: 0.1,
      frequency_penalty: 0.2,
      tools: [{ type: "function", function: { name: "noop", parameters: { type: "object", properties: {} } } }],
      tool_choice: { type: "function", function: { name: "noop" } },
      parallel_tool_calls: false,
      response_format: {
        type: "json_schema",
        json_schema: {
          name: "answer",
          strict: true,
          schema: {
            $schema: "http://json-schema.org/draft-07/schema#",
            type: "object",
            properties: { kind: { const: "a" }, items: { type: "array", items: { type: "integer", minimum: 0 } } },
            required: ["kind"],
            additionalProperties: false,
          },
        },
      },
      logprobs: true,
      metadata: null,
    });
    expect(body.generationConfig).toEqual({
      maxOutputTokens: 100,
      temperature: 0.7,
      topP: 0.9,
      presencePenalty: 0.1,
      frequencyPenalty: 0.2,
      seed: 7,
      candidateCount: 2,
      stopSequences: ["END"],
      responseMimeType: "application/json",
      responseSchema: {
        type: "object",
        properties: { kind: { enum: ["a"] }, items: { type: "array", items: { type: "integer", minimum: 0 } } },
        required: ["kind"],
      },
    });
    expect(body.tools).toEqual([{ functionDeclarations: [{ name: "noop" }] }]);
    expect(body.toolConfig).toEqual({ functionCallingConfig: { mode: "ANY", allowedFunctionNames: ["noop"] } });
    expect(warnings).toEqual([
      { type: "unsupported-setting", setting: "messages[].name", details: expect.any(String) as unknown },
      { type: "unsupported-setting", setting: "parallel_tool_calls", details: expect.any(String) as unknown },
      {
        type: "unsupported-setting",
        setting: "response_format.json_schema",
        details: "Dropped schema keywords: $schema, additionalProperties.",
      },
      { type: "unsupported-setting", setting: "logprobs" },
    ]);
  });

  it("falls back to JSON mode without schema when the schema uses $ref; hoists a late system message", () => {
    const { body, warnings } = convertToGeminiRequest({
      model: "m",
      messages: [
        { role: "user", content: "Hi" },
        { role: "system", content: "Late rule." },
      ],
      response_format: { type: "json_schema", json_schema: { name: "x", schema: { $ref: "#/$defs/a", $defs: {} } } },
    });
    expect(body.generationConfig).toEqual({ responseMimeType: "application/json" });
    expect(body.systemInstruction).toEqual({ parts: [{ text: "Late rule." }] });
    expect(warnings.map((w) => (w.type === "other" ? "other" : w.setting))).toEqual([
      "other",
      "response_format.json_schema",
    ]);
  });

  it("json_object → JSON mode; text → nothing", () => {
    const json = convertToGeminiRequest({ model: "m", messages: [], response_format: { type: "json_object" } });
    expect(json.body.generationConfig).toEqual({ responseMimeType: "application/json" });
    const text = convertToGeminiRequest({ model: "m", messages: [], response_format: { type: "text" } });
    expect(text.body.generationConfig).toBeUndefined();
  });

  it.each([
    ["a gs:// image", { role: "user", content: [{ type: "image_url", image_url: { url: "gs://b/c.png" } }] }],
    [
      "a non-base64 data URL",
      { role: "user", content: [{ type: "image_url", image_url: { url: "data:image/png,abc" } }] },
    ],
    ["an OpenAI file id", { role: "user", content: [{ type: "file", file: { file_id: "file-123" } }] }],
    ["flac audio", { role: "user", content: [{ type: "input_audio", input_audio: { data: "x", format: "flac" } }] }],
    ["an unknown role", { role: "function", name: "f", content: "x" }],
    ["a tool result without its call", { role: "tool", tool_call_id: "call_x", content: "x" }],
    [
      "non-object tool arguments",
      { role: "assistant", tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: "[1]" } }] },
    ],
  ])("refuses %s with invalid_request", (_name, message) => {
    expect(() => convertToGeminiRequest({ model: "m", messages: [message] })).toThrow(
      expect.objectContaining({ code: "invalid_request", status: 400 }) as Error,
    );
  });

  it("refuses non-function tools and tool parameters using $ref", () => {
    const refuse = (tools: unknown) => () => convertToGeminiRequest({ model: "m", messages: [], tools });
    expect(refuse([{ type: "custom", custom: { name: "x" } }])).toThrow(/tools\[0\]/);
    expect(refuse([{ type: "function", function: { name: "f", parameters: { $ref: "#/x" } } }])).toThrow(/\$ref/);
  });
});
