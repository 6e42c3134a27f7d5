import type { ChatRequest } from "../spec/chat-wire.js";
import { convertJsonSchemaToGemini, droppedKeywordsDetails } from "./convert-json-schema-to-gemini.js";
import { convertToGeminiContents } from "./convert-to-gemini-contents.js";
import { convertToGeminiTools } from "./convert-to-gemini-tools.js";
import { WarningCollector } from "../chat-adapter/warning-collector.js";
import type { ProviderWarning } from "../spec/provider-warning.js";
import type { GeminiGenerationConfig, GeminiRequestBody } from "./gemini-wire.js";
import { isRecord } from "./is-record.js";
import { unsupportedInput } from "./unsupported-input.js";

export interface GeminiRequest {
  readonly body: GeminiRequestBody;
  readonly warnings: readonly ProviderWarning[];
}

/** Request fields this adapter translates (or, for `model` / `stream*`, uses itself). Any other field set is warned about. */
const HANDLED = new Set([
  "model",
  "messages",
  "stream",
  "stream_options",
  "tools",
  "tool_choice",
  "parallel_tool_calls",
  "max_tokens",
  "max_completion_tokens",
  "temperature",
  "top_p",
  "stop",
  "n",
  "presence_penalty",
  "frequency_penalty",
  "seed",
  "response_format",
]);

/** OpenAI number settings → Gemini generationConfig fields, copied when set. */
const NUMBER_SETTINGS = [
  ["temperature", "temperature"],
  ["top_p", "topP"],
  ["presence_penalty", "presencePenalty"],
  ["frequency_penalty", "frequencyPenalty"],
  ["seed", "seed"],
] as const;

/**
 * An OpenAI chat request → a Gemini `generateContent` body plus the
 * warnings for what could not be honoured. Values are passed on, never
 * clamped: out-of-range settings are Gemini's to refuse. Throws AppError
 * `invalid_request` (see unsupportedInput) for input it cannot express.
 * https://ai.google.dev/api/generate-content#request-body
 */
export function convertToGeminiRequest(request: ChatRequest): GeminiRequest {
  const warnings = new WarningCollector();
  const prompt = convertToGeminiContents(request.messages, warnings);
  const tools = convertToGeminiTools(request.tools, request.tool_choice, warnings);
  if (request.parallel_tool_calls === false) {
    warnings.add("unsupported-setting", "parallel_tool_calls", "Gemini cannot be told to call one function at a time.");
  }
  const generationConfig = convertGenerationConfig(request, warnings);
  for (const [field, value] of Object.entries(request)) {
    if (!HANDLED.has(field) && value !== undefined && value !== null) warnings.add("unsupported-setting", field);
  }
  const body: GeminiRequestBody = {
    contents: prompt.contents,
    ...(prompt.systemInstruction === undefined ? {} : { systemInstruction: prompt.systemInstruction }),
    ...tools,
    ...(Object.keys(generationConfig).length > 0 ? { generationConfig } : {}),
  };
  return { body, warnings: warnings.warnings };
}

function convertGenerationConfig(request: ChatRequest, warnings: WarningCollector): GeminiGenerationConfig {
  const config: GeminiGenerationConfig = {};
  const maxTokens = numberSetting(request, "max_completion_tokens") ?? numberSetting(request, "max_tokens");
  if (maxTokens !== undefined) config.maxOutputTokens = maxTokens;
  for (const [from, to] of NUMBER_SETTINGS) {
    const value = numberSetting(request, from);
    if (value !== undefined) config[to] = value;
  }
  const n = numberSetting(request, "n");
  if (n !== undefined && n !== 1) config.candidateCount = n;
  const stop = request.stop;
  if (typeof stop === "string") config.stopSequences = [stop];
  else if (Array.isArray(stop) && stop.every((s) => typeof s === "string")) config.stopSequences = stop;
  else if (stop !== undefined && stop !== null) throw unsupportedInput("stop other than a string or strings");
  applyResponseFormat(request.response_format, config, warnings);
  return config;
}

function numberSetting(request: ChatRequest, field: string): number | undefined {
  const value = request[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value)) throw unsupportedInput(`${field} that is not a number`);
  return value;
}

/** `response_format` → `responseMimeType` (+ `responseSchema` when the schema converts). */
function applyResponseFormat(format: unknown, config: GeminiGenerationConfig, warnings: WarningCollector): void {
  if (format === undefined || format === null) return;
  const type = isRecord(format) ? format.type : undefined;
  if (type === "text") return;
  if (type === "json_object") {
    config.responseMimeType = "application/json";
    return;
  }
  if (type !== "json_schema" || !isRecord(format) || !isRecord(format.json_schema)) {
    warnings.add(
      "unsupported-setting",
      "response_format",
      "Only text, json_object and json_schema are understood; sent as text.",
    );
    return;
  }
  config.responseMimeType = "application/json";
  const schema = format.json_schema.schema;
  if (schema === undefined || schema === null) return;
  const converted = convertJsonSchemaToGemini(schema);
  if (!converted.ok) {
    warnings.add(
      "unsupported-setting",
      "response_format.json_schema",
      `Schema uses ${converted.reason}; sent as JSON mode without a schema.`,
    );
    return;
  }
  if (converted.dropped.length > 0) {
    warnings.add("unsupported-setting", "response_format.json_schema", droppedKeywordsDetails(converted.dropped));
  }
  // `strict` needs no mapping: Gemini decodes constrained to responseSchema.
  if (converted.schema !== undefined) config.responseSchema = converted.schema;
}
