import {
  collectChoicesText,
  countChatPromptTokens,
  countEmbeddingInputTokens,
  countTextTokens,
} from "@modelfaucet/providers";

/** What the bridge proxies, and how it counts tokens when the local server reports none. */
export interface LocalEndpoint {
  path: "/v1/chat/completions" | "/v1/embeddings";
  /** Whether `stream: true` is honoured. */
  streams: boolean;
  /** Whether answers are generated text, billed as output tokens (chat), or not (embeddings). */
  producesText: boolean;
  /** Prompt tokens of a request body, counted locally (o200k_base: an estimate for local models). */
  estimateInput(body: Record<string, unknown>): number;
  /** Output tokens of a non-streamed answer, counted locally. */
  estimateOutput(answer: Record<string, unknown>): number;
}

export const CHAT_COMPLETIONS: LocalEndpoint = {
  path: "/v1/chat/completions",
  streams: true,
  producesText: true,
  estimateInput: (body) => countChatPromptTokens(Array.isArray(body.messages) ? body.messages : [], body.tools),
  estimateOutput: (answer) => {
    const pieces: string[] = [];
    if (Array.isArray(answer.choices)) collectChoicesText(answer.choices, "message", pieces);
    return countTextTokens(pieces.join(""));
  },
};

export const EMBEDDINGS: LocalEndpoint = {
  path: "/v1/embeddings",
  streams: false,
  producesText: false,
  estimateInput: (body) => (isEmbeddingInput(body.input) ? countEmbeddingInputTokens(body.input) : 0),
  estimateOutput: () => 0,
};

/** A string, or an array of strings, of token ids, or of token-id arrays (OpenAI's `input`). */
function isEmbeddingInput(input: unknown): input is Parameters<typeof countEmbeddingInputTokens>[0] {
  if (typeof input === "string") return true;
  if (!Array.isArray(input)) return false;
  return (
    input.every((item) => typeof item === "string") ||
    input.every((item) => typeof item === "number") ||
    input.every((item) => Array.isArray(item) && item.every((token) => typeof token === "number"))
  );
}

/**
 * Token counts the local server reported in an OpenAI `usage` object, when
 * it reported them: `prompt_tokens`, and `completion_tokens` unless the
 * endpoint produces no text (embeddings report none).
 */
export function reportedUsage(
  endpoint: LocalEndpoint,
  usage: unknown,
): { input_tokens: number; output_tokens: number } | undefined {
  if (typeof usage !== "object" || usage === null) return undefined;
  const { prompt_tokens, completion_tokens } = usage as Record<string, unknown>;
  if (!isCount(prompt_tokens)) return undefined;
  if (endpoint.producesText && !isCount(completion_tokens)) return undefined;
  return { input_tokens: prompt_tokens, output_tokens: isCount(completion_tokens) ? completion_tokens : 0 };
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}
