import { describe, expect, it } from "vitest";
import type { ChatRequest } from "../spec/chat-wire.js";
import type { ProviderWarning } from "../spec/provider-warning.js";
import { MAX_PROVIDER_WARNINGS } from "../chat-adapter/warning-collector.js";
import { buildAnthropicRequestBody } from "./build-anthropic-request-body.js";

const build = (request: ChatRequest) => buildAnthropicRequestBody(request, { stream: false, defaultMaxTokens: 4096 });
/** The setting each warning names (Anthropic's are all about settings or content, never `other`). */
const settingsOf = (warnings: readonly ProviderWarning[]) =>
  warnings.map((warning) => (warning.type === "other" ? warning.message : warning.setting));
const settings = (request: ChatRequest) => settingsOf(build(request).warnings);

describe("buildAnthropicRequestBody", () => {
  it("max tokens: max_completion_tokens, else max_tokens, else the default", () => {
    expect(build({ model: "m", messages: [], max_tokens: 7 }).body.max_tokens).toBe(7);
    expect(build({ model: "m", messages: [], max_tokens: 7, max_completion_tokens: 9 }).body.max_tokens).toBe(9);
    expect(build({ model: "m", messages: [] }).body.max_tokens).toBe(4096);
  });

  it("stop as an array; empty stops and neutral settings are dropped without a warning", () => {
    const plan = build({
      model: "m",
      messages: [],
      stop: ["END", "", "STOP"],
      n: 1,
      logprobs: false,
      frequency_penalty: 0,
      response_format: { type: "text" },
      seed: null,
    });
    expect(plan.body.stop_sequences).toEqual(["END", "STOP"]);
    expect(plan.warnings).toEqual([]);
  });

  it("settings Anthropic cannot honour become warnings that never echo the caller's text", () => {
    expect(
      settings({
        model: "m",
        messages: [],
        n: 2,
        seed: 1,
        logit_bias: { "1": 2 },
        response_format: { type: "json_object" },
        reasoning_effort: "high",
        "Bad Field <script>": 1,
        user: "u".repeat(257),
      }),
    ).toEqual(["user", "n", "seed", "logit_bias", "response_format", "reasoning_effort", "unknown"]);
  });

  it("messages: hoisted system, dropped parts, bad tool arguments, names, unknown roles", () => {
    const plan = build({
      model: "m",
      messages: [
        {
          role: "user",
          name: "alice",
          content: [
            { type: "input_audio", input_audio: { data: "x", format: "wav" } },
            { type: "text", text: "hi" },
          ],
        },
        {
          role: "assistant",
          content: "",
          tool_calls: [{ id: "t1", type: "function", function: { name: "f", arguments: "not json" } }],
        },
        { role: "tool", tool_call_id: "t1", content: [{ type: "text", text: "42" }] },
        { role: "system", content: "late rule" },
        {
          role: "user",
          content: [{ type: "image_url", image_url: { url: "data:image/tiff;base64,AAAA", detail: "low" } }],
        },
        { role: "function", name: "f", content: "legacy" },
        { role: "user", content: [{ type: "image_url", image_url: { url: "https://x.test/a.png", detail: "low" } }] },
      ],
    });
    expect(plan.body.system).toEqual([{ type: "text", text: "late rule" }]);
    expect(plan.body.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "hi" }] },
      { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "f", input: {} }] },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "t1", content: [{ type: "text", text: "42" }] },
          { type: "image", source: { type: "url", url: "https://x.test/a.png" } },
        ],
      },
    ]);
    expect(settingsOf(plan.warnings)).toEqual([
      "messages[].name",
      "messages[].content[].input_audio",
      "messages[].tool_calls[].function.arguments",
      "messages[].role=system",
      "messages[].content[].image_url",
      "messages[].content",
      "messages[].role",
      "messages[].content[].image_url.detail",
    ]);
  });

  it("tool_choice: none and a named function; parallel flag; tool_choice without tools is dropped", () => {
    const tools = [{ type: "function", function: { name: "f", parameters: { type: "object" }, strict: true } }];
    expect(build({ model: "m", messages: [], tools, tool_choice: "none" }).body.tool_choice).toEqual({ type: "none" });
    expect(
      build({ model: "m", messages: [], tools, tool_choice: { type: "function", function: { name: "f" } } }).body
        .tool_choice,
    ).toEqual({ type: "tool", name: "f" });
    expect(build({ model: "m", messages: [], tools, parallel_tool_calls: false }).body.tool_choice).toEqual({
      type: "auto",
      disable_parallel_tool_use: true,
    });
    expect(settings({ model: "m", messages: [], tools })).toEqual(["tools[].function.strict"]);
    const noTools = build({ model: "m", messages: [], tool_choice: "auto", tools: [{ type: "custom", custom: {} }] });
    expect(noTools.body.tools).toBeUndefined();
    expect(noTools.body.tool_choice).toBeUndefined();
    expect(settingsOf(noTools.warnings)).toEqual(["tools[]", "tool_choice"]);
  });

  it("warnings are bounded and deduplicated", () => {
    const messages = Array.from({ length: 500 }, (_, i) => ({ role: `role-${i}`, content: "x" }));
    const extra = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`setting_${i}`, 1]));
    const plan = build({ model: "m", messages, ...extra });
    expect(plan.warnings).toHaveLength(MAX_PROVIDER_WARNINGS);
    expect(settingsOf(plan.warnings).filter((setting) => setting === "messages[].role")).toHaveLength(1);
  });
});
