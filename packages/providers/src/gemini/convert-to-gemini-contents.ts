import { convertImageUrl, parseBase64DataUrl } from "./convert-image-url.js";
import type { WarningCollector } from "../chat-adapter/warning-collector.js";
import type { GeminiContent, GeminiPart } from "./gemini-wire.js";
import { isRecord } from "./is-record.js";
import { readThoughtSignature } from "./thought-signature.js";
import { unsupportedInput } from "./unsupported-input.js";

export interface GeminiPrompt {
  readonly contents: GeminiContent[];
  readonly systemInstruction: { parts: { text: string }[] } | undefined;
}

/** `input_audio.format` → MIME type. */
const AUDIO_TYPES: Readonly<Record<string, string>> = { wav: "audio/wav", mp3: "audio/mp3" };

/**
 * OpenAI chat messages → Gemini `contents` + `systemInstruction`:
 * - `system` / `developer` → `systemInstruction` text parts, in order (Gemini
 *   has one system instruction; one that came after the conversation started
 *   is hoisted, with a warning);
 * - `user` → role `user`; `assistant` → role `model`;
 * - assistant `tool_calls` → `functionCall` parts (arguments parsed to an
 *   object; a thought signature kept in `extra_content.google` is sent back);
 * - `tool` → a `functionResponse` part in a `user` turn, its name taken from
 *   the assistant tool call with the same id, its `response` `{output}`
 *   (the content parsed as JSON when it is JSON, else the text);
 * - adjacent turns of the same role are merged (Gemini expects all results of
 *   one round of calls in one turn).
 * https://ai.google.dev/api/caching#Content, https://ai.google.dev/gemini-api/docs/function-calling
 */
export function convertToGeminiContents(messages: readonly unknown[], warnings: WarningCollector): GeminiPrompt {
  const system: { text: string }[] = [];
  const contents: GeminiContent[] = [];
  const toolNames = new Map<string, string>();
  let warnedName = false;
  messages.forEach((message, index) => {
    if (!isRecord(message)) throw unsupportedInput(`messages[${index}], which is not an object`);
    if (message.name !== undefined && message.name !== null && !warnedName) {
      warnedName = true;
      warnings.add("unsupported-setting", "messages[].name", "Gemini has no participant names; the name was not sent.");
    }
    switch (message.role) {
      case "system":
      case "developer":
        if (contents.length > 0) {
          warnings.other(`messages[${index}] (${message.role}) was moved into Gemini's single systemInstruction.`);
        }
        for (const text of textsOf(message.content, index)) system.push({ text });
        return;
      case "user":
        return push(contents, "user", userParts(message.content, index));
      case "assistant":
        return push(contents, "model", assistantParts(message, index, toolNames));
      case "tool":
        return push(contents, "user", [toolResultPart(message, index, toolNames)]);
      default:
        throw unsupportedInput(`messages[${index}] with a role other than system, developer, user, assistant or tool`);
    }
  });
  return { contents, systemInstruction: system.length > 0 ? { parts: system } : undefined };
}

function push(contents: GeminiContent[], role: GeminiContent["role"], parts: GeminiPart[]): void {
  if (parts.length === 0) return; // Gemini refuses a turn without parts; an empty message carries nothing
  const last = contents[contents.length - 1];
  if (last !== undefined && last.role === role)
    contents[contents.length - 1] = { role, parts: [...last.parts, ...parts] };
  else contents.push({ role, parts });
}

/** The text of a system / assistant content: a string or text (and refusal) parts. */
function textsOf(content: unknown, index: number): string[] {
  if (content === undefined || content === null) return [];
  if (typeof content === "string") return content === "" ? [] : [content];
  if (!Array.isArray(content)) throw unsupportedInput(`messages[${index}].content of this type`);
  return content.map((part) => {
    if (isRecord(part) && part.type === "text" && typeof part.text === "string") return part.text;
    if (isRecord(part) && part.type === "refusal" && typeof part.refusal === "string") return part.refusal;
    throw unsupportedInput(`a non-text part in messages[${index}]`);
  });
}

function userParts(content: unknown, index: number): GeminiPart[] {
  if (typeof content === "string") return [{ text: content }];
  if (!Array.isArray(content)) throw unsupportedInput(`messages[${index}].content of this type`);
  return content.map((part) => userPart(part, index));
}

function userPart(part: unknown, index: number): GeminiPart {
  if (!isRecord(part)) throw unsupportedInput(`a content part of messages[${index}] that is not an object`);
  switch (part.type) {
    case "text":
      if (typeof part.text === "string") return { text: part.text };
      break;
    case "image_url":
      if (isRecord(part.image_url) && typeof part.image_url.url === "string")
        return convertImageUrl(part.image_url.url);
      break;
    case "input_audio": {
      const audio = part.input_audio;
      const mimeType = isRecord(audio) && typeof audio.format === "string" ? AUDIO_TYPES[audio.format] : undefined;
      if (isRecord(audio) && typeof audio.data === "string" && mimeType !== undefined) {
        return { inlineData: { mimeType, data: audio.data } };
      }
      throw unsupportedInput(`input_audio in messages[${index}] other than base64 wav or mp3`);
    }
    case "file": {
      const file = part.file;
      if (isRecord(file) && typeof file.file_data === "string") {
        return { inlineData: parseBase64DataUrl(file.file_data, "file.file_data") };
      }
      throw unsupportedInput(
        `a file part in messages[${index}] without file_data (OpenAI file ids mean nothing to Gemini)`,
      );
    }
  }
  throw unsupportedInput(
    `a content part of type ${JSON.stringify(String(part.type).slice(0, 32))} in messages[${index}]`,
  );
}

function assistantParts(message: Record<string, unknown>, index: number, toolNames: Map<string, string>): GeminiPart[] {
  const parts: GeminiPart[] = textsOf(message.content, index).map((text) => ({ text }));
  if (message.function_call !== undefined && message.function_call !== null) {
    throw unsupportedInput(`the legacy function_call in messages[${index}]; use tool_calls`);
  }
  const calls = message.tool_calls ?? [];
  if (!Array.isArray(calls)) throw unsupportedInput(`messages[${index}].tool_calls that is not an array`);
  for (const call of calls) {
    const fn = isRecord(call) ? call.function : undefined;
    if (!isRecord(call) || typeof call.id !== "string" || !isRecord(fn) || typeof fn.name !== "string") {
      throw unsupportedInput(`a tool call in messages[${index}] without id and function name`);
    }
    toolNames.set(call.id, fn.name);
    const signature = readThoughtSignature(call);
    const functionCall = { name: fn.name, args: parseArguments(fn.arguments, index) };
    parts.push(signature === undefined ? { functionCall } : { functionCall, thoughtSignature: signature });
  }
  return parts;
}

/** Gemini's `args` is a JSON object (a protobuf Struct). */
function parseArguments(raw: unknown, index: number): Record<string, unknown> {
  if (raw === undefined || raw === null || raw === "") return {};
  let parsed: unknown;
  try {
    parsed = typeof raw === "string" ? JSON.parse(raw) : raw;
  } catch {
    parsed = undefined;
  }
  if (!isRecord(parsed)) throw unsupportedInput(`tool call arguments in messages[${index}] that are not a JSON object`);
  return parsed;
}

function toolResultPart(message: Record<string, unknown>, index: number, toolNames: Map<string, string>): GeminiPart {
  const id = message.tool_call_id;
  const name = typeof id === "string" ? toolNames.get(id) : undefined;
  if (name === undefined)
    throw unsupportedInput(`messages[${index}] (tool), whose tool_call_id matches no earlier tool call`);
  const text = textsOf(message.content, index).join("");
  return { functionResponse: { name, response: { output: parseJsonOrText(text) } } };
}

function parseJsonOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
