import { convertJsonSchemaToGemini, droppedKeywordsDetails } from "./convert-json-schema-to-gemini.js";
import type { WarningCollector } from "../chat-adapter/warning-collector.js";
import type { GeminiFunctionDeclaration, GeminiRequestBody, GeminiToolConfig } from "./gemini-wire.js";
import { isRecord } from "./is-record.js";
import { unsupportedInput } from "./unsupported-input.js";

export type GeminiToolFields = Pick<GeminiRequestBody, "tools" | "toolConfig">;

/**
 * OpenAI `tools` / `tool_choice` → Gemini `tools[].functionDeclarations` /
 * `toolConfig.functionCallingConfig`:
 * `auto` → AUTO, `none` → NONE, `required` → ANY, a named function → ANY
 * restricted to it. Only `function` tools exist in Gemini's API as used
 * here; other tool types are refused (dropping a tool would silently change
 * what the model can do), as are parameters using `$ref`.
 * https://ai.google.dev/api/caching#FunctionDeclaration
 */
export function convertToGeminiTools(
  tools: unknown,
  toolChoice: unknown,
  warnings: WarningCollector,
): GeminiToolFields {
  const declarations = convertDeclarations(tools, warnings);
  const toolConfig = convertToolChoice(toolChoice);
  return {
    ...(declarations.length > 0 ? { tools: [{ functionDeclarations: declarations }] } : {}),
    ...(toolConfig === undefined ? {} : { toolConfig }),
  };
}

function convertDeclarations(tools: unknown, warnings: WarningCollector): GeminiFunctionDeclaration[] {
  if (tools === undefined || tools === null) return [];
  if (!Array.isArray(tools)) throw unsupportedInput("tools that is not an array");
  return tools.map((tool, index) => {
    const fn = isRecord(tool) && tool.type === "function" ? tool.function : undefined;
    if (!isRecord(fn) || typeof fn.name !== "string")
      throw unsupportedInput(`tools[${index}], which is not a function tool`);
    if (fn.strict === true) {
      warnings.add(
        "unsupported-setting",
        `tools[${index}].function.strict`,
        "Gemini has no strict mode for function arguments.",
      );
    }
    const declaration: { name: string; description?: string; parameters?: Record<string, unknown> } = { name: fn.name };
    if (typeof fn.description === "string") declaration.description = fn.description;
    if (fn.parameters === undefined || fn.parameters === null) return declaration;
    const converted = convertJsonSchemaToGemini(fn.parameters);
    if (!converted.ok) throw unsupportedInput(`tools[${index}].function.parameters using ${converted.reason}`);
    if (converted.dropped.length > 0) {
      warnings.add(
        "unsupported-setting",
        `tools[${index}].function.parameters`,
        droppedKeywordsDetails(converted.dropped),
      );
    }
    if (converted.schema !== undefined) declaration.parameters = converted.schema;
    return declaration;
  });
}

function convertToolChoice(choice: unknown): GeminiToolConfig | undefined {
  if (choice === undefined || choice === null) return undefined;
  if (choice === "auto") return { functionCallingConfig: { mode: "AUTO" } };
  if (choice === "none") return { functionCallingConfig: { mode: "NONE" } };
  if (choice === "required") return { functionCallingConfig: { mode: "ANY" } };
  const fn = isRecord(choice) && choice.type === "function" ? choice.function : undefined;
  if (isRecord(fn) && typeof fn.name === "string") {
    return { functionCallingConfig: { mode: "ANY", allowedFunctionNames: [fn.name] } };
  }
  throw unsupportedInput("this tool_choice (auto, none, required or a named function only)");
}
