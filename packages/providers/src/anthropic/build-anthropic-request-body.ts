import { WarningCollector } from "../chat-adapter/warning-collector.js";
import type { ChatRequest } from "../spec/chat-wire.js";
import type { ProviderWarning } from "../spec/provider-warning.js";
import type { AnthropicRequestBody } from "./anthropic-wire.js";
import { convertToAnthropicMessages } from "./convert-to-anthropic-messages.js";
import { prepareAnthropicTools } from "./prepare-anthropic-tools.js";

/** Longest `metadata.user_id` Anthropic accepts, in characters. */
export const MAX_ANTHROPIC_USER_ID_CHARS = 256;

export interface AnthropicRequestPlan {
  readonly body: AnthropicRequestBody;
  /** What was dropped or changed. */
  readonly warnings: readonly ProviderWarning[];
}

/** Fields translated below (or set by the method called); any other field is reported unless neutral. */
const TRANSLATED = new Set([
  "model",
  "messages",
  "stream",
  "stream_options",
  "max_tokens",
  "max_completion_tokens",
  "temperature",
  "top_p",
  "stop",
  "tools",
  "tool_choice",
  "parallel_tool_calls",
  "user",
  "safety_identifier",
]);

/** Values equal to OpenAI's defaults: asking for them asks for nothing, so dropping them loses nothing. */
const NEUTRAL: Readonly<Record<string, (value: unknown) => boolean>> = {
  n: (value) => value === 1,
  logprobs: (value) => value === false,
  presence_penalty: (value) => value === 0,
  frequency_penalty: (value) => value === 0,
  store: (value) => value === false,
  response_format: (value) => isObject(value) && value.type === "text",
};

/**
 * An OpenAI chat request → the body of Anthropic's `POST /v1/messages`.
 * https://docs.anthropic.com/en/api/messages
 *
 * `max_completion_tokens` (else `max_tokens`, else `defaultMaxTokens`, since
 * Anthropic requires one) → `max_tokens`; `temperature` and `top_p` are
 * forwarded unchanged (Anthropic accepts temperature 0–1 and answers 400 to
 * more: not clamped here, that would change the sampling asked for);
 * `stop` → `stop_sequences`; `user` (or `safety_identifier`) →
 * `metadata.user_id`. Every other setting with a non-neutral value is
 * dropped with a warning.
 */
export function buildAnthropicRequestBody(
  request: ChatRequest,
  options: { readonly stream: boolean; readonly defaultMaxTokens: number },
): AnthropicRequestPlan {
  const warnings = new WarningCollector();
  const prompt = convertToAnthropicMessages(request.messages, warnings);
  const stop = stopSequences(request.stop);
  const userId = userIdOf(request, warnings);
  const body: AnthropicRequestBody = {
    model: request.model,
    max_tokens: request.max_completion_tokens ?? request.max_tokens ?? options.defaultMaxTokens,
    messages: prompt.messages,
    ...(prompt.system === undefined ? {} : { system: prompt.system }),
    ...(typeof request.temperature === "number" ? { temperature: request.temperature } : {}),
    ...(typeof request.top_p === "number" ? { top_p: request.top_p } : {}),
    ...(stop.length > 0 ? { stop_sequences: stop } : {}),
    ...prepareAnthropicTools(request, warnings),
    ...(userId === undefined ? {} : { metadata: { user_id: userId } }),
    stream: options.stream,
  };
  reportUntranslated(request, warnings);
  return { body, warnings: warnings.warnings };
}

function stopSequences(stop: unknown): string[] {
  if (typeof stop === "string") return stop.length > 0 ? [stop] : [];
  if (!Array.isArray(stop)) return [];
  return stop.filter((item): item is string => typeof item === "string" && item.length > 0);
}

function userIdOf(request: ChatRequest, warnings: WarningCollector): string | undefined {
  const user = request.safety_identifier ?? request.user;
  if (typeof user !== "string" || user.length === 0) return undefined;
  if (user.length > MAX_ANTHROPIC_USER_ID_CHARS) {
    warnings.add("unsupported-setting", "user", `a user id over ${MAX_ANTHROPIC_USER_ID_CHARS} characters was dropped`);
    return undefined;
  }
  return user;
}

function reportUntranslated(request: ChatRequest, warnings: WarningCollector): void {
  for (const [name, value] of Object.entries(request)) {
    if (TRANSLATED.has(name) || !isSet(value) || NEUTRAL[name]?.(value) === true) continue;
    // The field name is the caller's: the collector names it only when it reads as one, so warnings never echo input.
    warnings.add("unsupported-setting", name, "this setting has no Anthropic equivalent and was dropped");
  }
}

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
