import { HEADER_NAME, HEADER_VALUE } from "./header-syntax.js";

/**
 * Checks the extra request headers a caller configured. `reservedReason`
 * gives, for a lower-case name the adapter owns, why it may not be set
 * here (setting it would bypass or leak the key handling); undefined for a
 * name the caller may set. Throws a TypeError that never echoes a value.
 */
export function assertExtraHeaders(
  providerId: string,
  headers: Readonly<Record<string, string>> | undefined,
  reservedReason: (lowerCaseName: string) => string | undefined,
): void {
  for (const [name, value] of Object.entries(headers ?? {})) {
    const reason = reservedReason(name.toLowerCase());
    if (reason !== undefined) throw new TypeError(`provider "${providerId}": ${reason}`);
    if (!HEADER_NAME.test(name) || !HEADER_VALUE.test(value)) {
      throw new TypeError(
        `provider "${providerId}": header ${JSON.stringify(name.slice(0, 64))} is not a valid header`,
      );
    }
  }
}
