/**
 * The OpenAI Chat Completions wire shapes as far as this package relies on
 * them. Everything else is passed through untouched, so the types name only
 * what is checked and leave the rest `unknown`.
 * https://platform.openai.com/docs/api-reference/chat
 */

/**
 * A chat request body as the client sent it (after the gateway's own
 * validation). Unknown fields are preserved and forwarded upstream.
 */
export interface ChatRequest {
  /** Upstream model id (the gateway has already mapped catalog ids). */
  readonly model: string;
  /** OpenAI chat messages; counted locally only when usage must be estimated. */
  readonly messages: readonly unknown[];
  /** Ignored: `chat()` sends `false`, `chatStream()` sends `true`. */
  readonly stream?: boolean | null | undefined;
  /** Forwarded; `chatStream()` always sets `include_usage: true`, `chat()` drops it. */
  readonly stream_options?:
    { readonly include_usage?: boolean | null | undefined; readonly [field: string]: unknown } | null | undefined;
  readonly max_tokens?: number | null | undefined;
  readonly max_completion_tokens?: number | null | undefined;
  readonly [field: string]: unknown;
}

/**
 * A non-streaming completion body exactly as the upstream returned it,
 * checked only to be a JSON object with a `choices` array.
 */
export interface ChatCompletion {
  readonly choices: readonly unknown[];
  readonly usage?: unknown;
  readonly [field: string]: unknown;
}

/**
 * One parsed `chat.completion.chunk` from a stream, as the upstream sent it,
 * checked only to be a JSON object with a non-empty `choices` array.
 */
export interface ChatCompletionChunk {
  readonly choices: readonly unknown[];
  readonly [field: string]: unknown;
}
