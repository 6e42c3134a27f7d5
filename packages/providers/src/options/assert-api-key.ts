import { HEADER_TOKEN } from "./header-syntax.js";

/**
 * Checks an API key is sendable as a header: printable ASCII without
 * spaces. `required`: whether the upstream refuses calls without one.
 * The TypeError never echoes the key.
 */
export function assertApiKey(providerId: string, apiKey: unknown, required: boolean): void {
  if (required) {
    if (typeof apiKey !== "string" || !HEADER_TOKEN.test(apiKey)) {
      throw new TypeError(`provider "${providerId}": apiKey is required and must be printable ASCII without spaces`);
    }
    return;
  }
  // Typed as string | undefined: an optional key is checked as its text, as before this was shared.
  if (apiKey !== undefined && !HEADER_TOKEN.test(apiKey as string)) {
    throw new TypeError(`provider "${providerId}": apiKey must be printable ASCII without spaces`);
  }
}
