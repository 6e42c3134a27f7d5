/** What a secret is replaced with in text kept for logs. */
export const REDACTED = "[REDACTED]";

/**
 * A function removing `secret` from text an upstream sent back (some echo
 * the key in error messages). Text read with a byte limit may end in the
 * middle of the secret, so a trailing prefix of it (4 characters or more) is
 * removed too. Redact before truncating further, never after.
 */
export function createRedactor(secret: string | undefined): (text: string) => string {
  if (secret === undefined || secret.length === 0) return (text) => text;
  return (text) => {
    const replaced = text.includes(secret) ? text.split(secret).join(REDACTED) : text;
    return stripTrailingPrefix(replaced, secret);
  };
}

function stripTrailingPrefix(text: string, secret: string): string {
  const longest = Math.min(secret.length - 1, text.length);
  for (let length = longest; length >= 4; length--) {
    if (text.endsWith(secret.slice(0, length))) return text.slice(0, text.length - length) + REDACTED;
  }
  return text;
}
