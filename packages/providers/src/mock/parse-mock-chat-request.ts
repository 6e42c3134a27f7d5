import { countChatPromptTokens } from "../tokens/count-tokens.js";

/** What the mock needs from a chat request body. */
export interface MockChatRequest {
  readonly model: string;
  readonly stream: boolean;
  readonly includeUsage: boolean;
  /** Real prompt token count (countChatPromptTokens of messages and tools). */
  readonly promptTokens: number;
  /** `max_completion_tokens` ?? `max_tokens`, when given. */
  readonly maxTokens: number | undefined;
  /** Text of the last user message, the seed of the reply. */
  readonly lastUserText: string;
}

/** A request OpenAI would refuse with 400; answered in OpenAI's error shape. */
export class MockRequestError extends Error {
  constructor(
    message: string,
    readonly param: string | null,
  ) {
    super(message);
    this.name = "MockRequestError";
  }
}

/** Parses and checks a chat body the way OpenAI does for the fields the mock uses. */
export function parseMockChatRequest(text: string): MockChatRequest {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new MockRequestError("We could not parse the JSON body of your request.", null);
  }
  if (!isObject(body)) throw new MockRequestError("The request body must be a JSON object.", null);
  if (typeof body.model !== "string" || body.model.length === 0) {
    throw new MockRequestError("you must provide a model parameter", "model");
  }
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    throw new MockRequestError("'messages' must be a non-empty array.", "messages");
  }
  const maxTokens = parseMaxTokens(body);
  const streamOptions = body.stream_options;
  return {
    model: body.model,
    stream: body.stream === true,
    includeUsage: isObject(streamOptions) && streamOptions.include_usage === true,
    promptTokens: countChatPromptTokens(body.messages, body.tools),
    maxTokens,
    lastUserText: lastUserText(body.messages),
  };
}

function parseMaxTokens(body: Record<string, unknown>): number | undefined {
  for (const param of ["max_completion_tokens", "max_tokens"]) {
    const value = body[param];
    if (value === undefined || value === null) continue;
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
      throw new MockRequestError(`Invalid '${param}': expected an integer >= 1.`, param);
    }
    return value;
  }
  return undefined;
}

function lastUserText(messages: readonly unknown[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (!isObject(message) || message.role !== "user") continue;
    if (typeof message.content === "string") return message.content;
    if (!Array.isArray(message.content)) return "";
    return message.content
      .map((part: unknown) => (isObject(part) && typeof part.text === "string" ? part.text : ""))
      .join("");
  }
  return "";
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
