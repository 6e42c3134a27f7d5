/**
 * A request setting the Gemini adapter could not honour exactly, as the
 * Vercel AI SDK reports them: the call still goes out, without it (or with
 * the nearest equivalent, said in `details`). Never a silent drop.
 *
 * Where warnings go: on `GeminiChatResult.warnings` / `GeminiChatStream.warnings`
 * (the spec's ChatResult has no such field, and a concept enters the spec
 * only when three providers need it), and to the provider's `onWarnings`
 * option, once per call, for logs.
 */
export type GeminiWarning =
  | {
      readonly type: "unsupported-setting";
      /** The OpenAI request field, e.g. `logit_bias`, `response_format.json_schema`. */
      readonly setting: string;
      readonly details?: string;
    }
  | { readonly type: "other"; readonly message: string };

/** Collects warnings while a request is translated. */
export class GeminiWarnings {
  readonly #list: GeminiWarning[] = [];

  unsupported(setting: string, details?: string): void {
    this.#list.push(
      details === undefined
        ? { type: "unsupported-setting", setting }
        : { type: "unsupported-setting", setting, details },
    );
  }

  other(message: string): void {
    this.#list.push({ type: "other", message });
  }

  get list(): readonly GeminiWarning[] {
    return this.#list;
  }
}
