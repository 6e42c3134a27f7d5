/**
 * Collects the generated text of an OpenAI-shaped message or stream delta:
 * content, refusal, reasoning (`reasoning_content` / `reasoning`, sent by
 * DeepSeek, vLLM, OpenRouter…), tool-call names and arguments, and the
 * legacy `function_call`. Everything a model is billed output tokens for
 * that travels as text. Non-string values are skipped.
 */
export function collectGeneratedText(messageOrDelta: unknown, into: string[]): void {
  if (!isObject(messageOrDelta)) return;
  pushString(messageOrDelta.content, into);
  pushString(messageOrDelta.refusal, into);
  pushString(messageOrDelta.reasoning_content, into);
  pushString(messageOrDelta.reasoning, into);
  const toolCalls = messageOrDelta.tool_calls;
  if (Array.isArray(toolCalls)) {
    for (const call of toolCalls) if (isObject(call)) pushFunction(call.function, into);
  }
  pushFunction(messageOrDelta.function_call, into);
}

/**
 * Text of every choice of a chunk (`delta`) or completion (`message`).
 * Returns whether a choice carried a `finish_reason`.
 */
export function collectChoicesText(choices: readonly unknown[], key: "delta" | "message", into: string[]): boolean {
  let finished = false;
  for (const choice of choices) {
    if (!isObject(choice)) continue;
    collectGeneratedText(choice[key], into);
    if (typeof choice.finish_reason === "string") finished = true;
  }
  return finished;
}

function pushFunction(fn: unknown, into: string[]): void {
  if (!isObject(fn)) return;
  pushString(fn.name, into);
  pushString(fn.arguments, into);
}

function pushString(value: unknown, into: string[]): void {
  if (typeof value === "string" && value.length > 0) into.push(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
