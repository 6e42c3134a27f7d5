import type { ChatRequest } from "../spec/chat-wire.js";
import type { WarningCollector } from "../chat-adapter/warning-collector.js";
import type { AnthropicTool, AnthropicToolChoice } from "./anthropic-wire.js";

export interface AnthropicToolSettings {
  readonly tools?: AnthropicTool[];
  readonly tool_choice?: AnthropicToolChoice;
}

/** Anthropic's schema for a tool without parameters: input_schema is required and must be an object schema. */
const EMPTY_INPUT_SCHEMA = Object.freeze({ type: "object", properties: {} });

/**
 * OpenAI `tools`, `tool_choice` and `parallel_tool_calls` → Anthropic
 * `tools` (with `input_schema`) and `tool_choice`.
 * https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/implement-tool-use
 *
 * `auto` → `auto`, `required` → `any`, `none` → `none`, a named function →
 * `tool`; `parallel_tool_calls: false` → `disable_parallel_tool_use: true`.
 * Non-function tools and `strict` are dropped with a warning; so is a
 * `tool_choice` without tools (Anthropic would refuse the request).
 */
export function prepareAnthropicTools(request: ChatRequest, warnings: WarningCollector): AnthropicToolSettings {
  const tools = convertTools(request.tools, warnings);
  const parallel = request.parallel_tool_calls;
  if (tools.length === 0) {
    if (isSet(request.tool_choice))
      warnings.add("unsupported-setting", "tool_choice", "tool_choice without tools was dropped");
    if (parallel === false)
      warnings.add("unsupported-setting", "parallel_tool_calls", "parallel_tool_calls without tools was dropped");
    return {};
  }
  const choice = convertToolChoice(request.tool_choice, parallel === false, warnings);
  return choice === undefined ? { tools } : { tools, tool_choice: choice };
}

function convertTools(raw: unknown, warnings: WarningCollector): AnthropicTool[] {
  if (!Array.isArray(raw)) return [];
  const tools: AnthropicTool[] = [];
  for (const tool of raw) {
    const fn = isObject(tool) ? tool.function : undefined;
    if (!isObject(tool) || tool.type !== "function" || !isObject(fn) || typeof fn.name !== "string") {
      warnings.add("unsupported-setting", "tools[]", "tools other than function tools were dropped");
      continue;
    }
    if (fn.strict === true)
      warnings.add("unsupported-setting", "tools[].function.strict", "strict tool schemas are not enforced");
    const schema = isObject(fn.parameters) ? fn.parameters : EMPTY_INPUT_SCHEMA;
    tools.push(
      typeof fn.description === "string"
        ? { name: fn.name, description: fn.description, input_schema: schema }
        : { name: fn.name, input_schema: schema },
    );
  }
  return tools;
}

function convertToolChoice(
  raw: unknown,
  disableParallel: boolean,
  warnings: WarningCollector,
): AnthropicToolChoice | undefined {
  const flag = disableParallel ? { disable_parallel_tool_use: true } : {};
  if (raw === undefined || raw === null || raw === "auto") {
    return disableParallel ? { type: "auto", ...flag } : undefined;
  }
  if (raw === "required") return { type: "any", ...flag };
  if (raw === "none") {
    // Anthropic's `none` takes no parallel flag, and with no tool called it has no meaning anyway.
    return { type: "none" };
  }
  const fn = isObject(raw) && raw.type === "function" ? raw.function : undefined;
  if (isObject(fn) && typeof fn.name === "string") return { type: "tool", name: fn.name, ...flag };
  warnings.add(
    "unsupported-setting",
    "tool_choice",
    "a tool_choice other than auto, none, required or a function was dropped",
  );
  return disableParallel ? { type: "auto", ...flag } : undefined;
}

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
