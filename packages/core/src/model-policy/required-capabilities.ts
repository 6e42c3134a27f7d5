import type { ModelCapability } from "./model-capabilities.js";

/**
 * The capabilities a request needs of the model that serves it, read from
 * the request as sent (OpenAI's shapes; fields are `unknown` because they
 * pass through to upstream unvalidated). Only what the request actually uses
 * counts: an empty `tools` array needs no tools.
 */

/** The chat request fields that need a capability. */
export interface ChatCapabilityView {
  tools?: unknown;
  /** The legacy form of tools. */
  functions?: unknown;
  response_format?: unknown;
  messages: readonly { content?: unknown }[];
}

/** The Responses request fields that need a capability. */
export interface ResponsesCapabilityView {
  tools?: unknown;
  text?: unknown;
  input?: unknown;
}

const nonEmptyArray = (value: unknown): boolean => Array.isArray(value) && value.length > 0;

const typeOf = (value: unknown): unknown =>
  typeof value === "object" && value !== null ? (value as { type?: unknown }).type : undefined;

/** Whether `parts` (a message's content) holds a part of type `imageType`. */
const hasImagePart = (parts: unknown, imageType: string): boolean =>
  Array.isArray(parts) && parts.some((part) => typeOf(part) === imageType);

/** tools (or functions) → `tools`; `response_format.type: json_schema` → `json_schema`; an `image_url` part → `vision`. */
export function requiredChatCapabilities(request: ChatCapabilityView): ModelCapability[] {
  const needed: ModelCapability[] = [];
  if (nonEmptyArray(request.tools) || nonEmptyArray(request.functions)) needed.push("tools");
  if (typeOf(request.response_format) === "json_schema") needed.push("json_schema");
  if (request.messages.some((message) => hasImagePart(message.content, "image_url"))) needed.push("vision");
  return needed;
}

/** tools → `tools`; `text.format.type: json_schema` → `json_schema`; an `input_image` item or part → `vision`. */
export function requiredResponsesCapabilities(request: ResponsesCapabilityView): ModelCapability[] {
  const needed: ModelCapability[] = [];
  if (nonEmptyArray(request.tools)) needed.push("tools");
  const format =
    typeof request.text === "object" && request.text !== null
      ? (request.text as { format?: unknown }).format
      : undefined;
  if (typeOf(format) === "json_schema") needed.push("json_schema");
  const items = Array.isArray(request.input) ? request.input : [];
  const image = items.some(
    (item) =>
      typeOf(item) === "input_image" ||
      (typeof item === "object" &&
        item !== null &&
        hasImagePart((item as { content?: unknown }).content, "input_image")),
  );
  if (image) needed.push("vision");
  return needed;
}
