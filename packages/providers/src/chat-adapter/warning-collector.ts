import type { ProviderWarning } from "../spec/provider-warning.js";

/** Most distinct warnings kept per call: the list is bounded whatever the request holds. */
export const MAX_PROVIDER_WARNINGS = 32;

/**
 * A field name or JSON path as adapters write them, with the value that
 * matters when one does: `logit_bias`, `tools[2].function.strict`,
 * `messages[].name`, `messages[].role=system`.
 */
const SETTING_PATH = /^[A-Za-z_$][\w$]*(?:\[\d*\]|\.[A-Za-z_$][\w$]*)*(?:=\w+)?$/;
const MAX_SETTING_CHARS = 128;

/**
 * Collects the warnings of one call, each once (by type and setting, or by
 * message) and at most MAX_PROVIDER_WARNINGS. A setting is often named after
 * a field of the caller's request: one that does not read as a field name or
 * path is reported as `unknown`, so a warning never echoes the caller's input.
 */
export class WarningCollector {
  readonly #warnings: ProviderWarning[] = [];
  readonly #seen = new Set<string>();

  add(type: "unsupported-setting" | "unsupported-content", setting: string, details?: string): void {
    const named = setting.length <= MAX_SETTING_CHARS && SETTING_PATH.test(setting) ? setting : "unknown";
    this.#push(
      `${type}\u0000${named}`,
      details === undefined ? { type, setting: named } : { type, setting: named, details },
    );
  }

  other(message: string): void {
    this.#push(`other\u0000${message}`, { type: "other", message });
  }

  get warnings(): readonly ProviderWarning[] {
    return this.#warnings;
  }

  #push(key: string, warning: ProviderWarning): void {
    if (this.#seen.has(key) || this.#warnings.length >= MAX_PROVIDER_WARNINGS) return;
    this.#seen.add(key);
    this.#warnings.push(warning);
  }
}
