/**
 * A part of the request Anthropic cannot honour, dropped or changed by the
 * adapter instead of silently ignored (the Vercel AI SDK's `warnings`).
 * Texts are ours: they name settings and never quote the caller's content,
 * so warnings are safe to log.
 *
 * - `unsupported-setting`: a request field with no Anthropic equivalent was dropped (`setting` names it);
 * - `unsupported-content`: a message, content part or tool was dropped or changed (`setting` is its JSON path shape, e.g. `messages[].content[].input_audio`).
 */
export interface AnthropicWarning {
  readonly type: "unsupported-setting" | "unsupported-content";
  readonly setting: string;
  readonly details: string;
}

/** Most distinct warnings kept per call; the list is bounded whatever the request holds. */
export const MAX_ANTHROPIC_WARNINGS = 32;

/** Collects the warnings of one call, each (type, setting) once, at most MAX_ANTHROPIC_WARNINGS. */
export class WarningCollector {
  readonly #warnings: AnthropicWarning[] = [];
  readonly #seen = new Set<string>();

  add(type: AnthropicWarning["type"], setting: string, details: string): void {
    const key = `${type}\u0000${setting}`;
    if (this.#seen.has(key) || this.#warnings.length >= MAX_ANTHROPIC_WARNINGS) return;
    this.#seen.add(key);
    this.#warnings.push({ type, setting, details });
  }

  get warnings(): readonly AnthropicWarning[] {
    return this.#warnings;
  }
}
