import type { ChatRequest } from "@modelfaucet/contract";
import { mapJsonText, type TextMap } from "./map-strings.js";

type Message = ChatRequest["messages"][number];

/**
 * A chat request with `map` applied to what its messages say: string
 * content, the `text` of text parts, and the arguments of earlier tool
 * calls (as JSON, see mapJsonText). Everything else — tool definitions, the
 * model, parameters — is the developer's, and stays as it is.
 */
export function mapChatRequestTexts(request: ChatRequest, map: TextMap): ChatRequest {
  return { ...request, messages: request.messages.map((message) => mapMessage(message, map)) };
}

function mapMessage(message: Message, map: TextMap): Message {
  const mapped: Message = { ...message };
  if (typeof message.content === "string") mapped.content = map(message.content);
  else if (Array.isArray(message.content)) mapped.content = message.content.map((part) => mapTextPart(part, map));
  if (Array.isArray(message.tool_calls)) mapped.tool_calls = message.tool_calls.map((call) => mapToolCall(call, map));
  return mapped;
}

function mapTextPart<Part extends { type: string }>(part: Part, map: TextMap): Part {
  const text = (part as { text?: unknown }).text;
  return part.type === "text" && typeof text === "string" ? { ...part, text: map(text) } : part;
}

function mapToolCall(call: unknown, map: TextMap): unknown {
  const fn = (call as { function?: { arguments?: unknown } } | null)?.function;
  if (typeof fn?.arguments !== "string") return call;
  return { ...(call as object), function: { ...fn, arguments: mapJsonText(fn.arguments, map) } };
}
