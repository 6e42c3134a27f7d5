import type { ChatRequest, ResponsesRequestBody } from "@modelfaucet/contract";
import { AppError } from "@modelfaucet/core";

/** Request fields a translated route passes on to chat unchanged (same name and meaning). */
const SHARED_FIELDS = ["temperature", "top_p", "user", "metadata"] as const;

/**
 * Fields the Responses API has and chat completions cannot express. On a
 * translated route they are refused, never silently dropped.
 */
const UNTRANSLATABLE_FIELDS = [
  "tools",
  "tool_choice",
  "previous_response_id",
  "conversation",
  "reasoning",
  "text",
  "background",
  "prompt",
] as const;

/**
 * A Responses request as a chat request: `instructions` → a system message,
 * `input` (a string, or message items with `input_text` / `output_text` /
 * `input_image` parts) → messages, `max_output_tokens` → `max_tokens`.
 * Throws `invalid_request` for what chat cannot carry.
 */
export function convertResponsesToChat(body: ResponsesRequestBody): ChatRequest {
  for (const field of UNTRANSLATABLE_FIELDS) {
    if (body[field] !== undefined && body[field] !== null) {
      throw new AppError("invalid_request", `"${field}" is only supported on OpenAI routes of /v1/responses.`);
    }
  }
  const messages: ChatRequest["messages"] = [];
  if (body.instructions) messages.push({ role: "system", content: body.instructions });
  if (typeof body.input === "string") messages.push({ role: "user", content: body.input });
  else body.input.forEach((item, index) => messages.push(convertItem(item, index)));
  const chat: ChatRequest = { model: body.model, messages };
  if (body.max_output_tokens != null) chat.max_tokens = body.max_output_tokens;
  if (body.stream) chat.stream = true;
  for (const field of SHARED_FIELDS) {
    const value: unknown = body[field];
    if (value != null) (chat as Record<string, unknown>)[field] = value;
  }
  return chat;
}

function convertItem(
  item: Exclude<ResponsesRequestBody["input"], string>[number],
  index: number,
): ChatRequest["messages"][number] {
  if (item.type !== undefined && item.type !== "message") {
    throw new AppError("invalid_request", `input[${index}]: item type "${item.type}" needs an OpenAI route.`);
  }
  const role = item.role;
  if (role !== "user" && role !== "assistant" && role !== "system" && role !== "developer") {
    throw new AppError("invalid_request", `input[${index}].role must be user, assistant, system or developer.`);
  }
  if (typeof item.content === "string" || item.content === undefined) return { role, content: item.content ?? "" };
  const parts = item.content.map((part, partIndex) => convertPart(part, `input[${index}].content[${partIndex}]`));
  // Assistant turns in chat take text only: join them.
  if (role === "assistant" || role === "system" || role === "developer") {
    return { role, content: parts.map((part) => (part.type === "text" ? part.text : "")).join("") };
  }
  return { role, content: parts };
}

type ChatPart = { type: "text"; text: string } | { type: "image_url"; image_url: { url: string; detail?: string } };

function convertPart(part: { type: string; [field: string]: unknown }, where: string): ChatPart {
  if ((part.type === "input_text" || part.type === "output_text") && typeof part.text === "string") {
    return { type: "text", text: part.text };
  }
  if (part.type === "input_image" && typeof part.image_url === "string") {
    const detail = typeof part.detail === "string" ? { detail: part.detail } : {};
    return { type: "image_url", image_url: { url: part.image_url, ...detail } };
  }
  throw new AppError("invalid_request", `${where}: part type "${part.type}" needs an OpenAI route.`);
}
