/**
 * Text PostgreSQL can store and look up exactly as it was sent.
 *
 * PostgreSQL refuses NUL (U+0000) in `text` and in `jsonb` (as the `\u0000`
 * escape), and UTF-8 has no encoding for an unpaired UTF-16 surrogate: the
 * driver silently stores U+FFFD in its place in `text`, and `jsonb` refuses
 * the `\ud800` escape. Input carrying either is refused at the edge with a
 * 400 naming the field, never left to fail (500) or change in the database.
 */

// With the `u` flag a well-formed surrogate pair is one code point above
// U+FFFF, so this class matches only NUL and surrogates that are unpaired.
// Matching NUL is the point here, hence the control character.
/* eslint-disable no-control-regex */
const UNSAFE_CHARACTER = /[\u0000\ud800-\udfff]/u;
const UNSAFE_CHARACTERS = /[\u0000\ud800-\udfff]/gu;
/* eslint-enable no-control-regex */

export const UNSAFE_TEXT_MESSAGE = "must not contain NUL characters or unpaired UTF-16 surrogates";

/** Whether `text` holds no NUL and no unpaired surrogate. */
export function isSafeText(text: string): boolean {
  return !UNSAFE_CHARACTER.test(text);
}

/** `text` with each unsafe character written as a `\uXXXX` escape, so it can be shown in a message. */
export function escapeUnsafeText(text: string): string {
  return text.replace(UNSAFE_CHARACTERS, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Where a value is unsafe, as a path of keys and indexes (zod's issue shape). */
export interface UnsafeTextIssue {
  path: Array<string | number>;
  message: string;
}

export interface UnsafeTextLimits {
  /** Deepest nesting of arrays and objects walked; anything deeper is an issue itself. */
  maxDepth: number;
  /** The walk stops after this many issues. */
  maxIssues: number;
}

interface Pending {
  value: unknown;
  path: Array<string | number>;
  depth: number;
  /** The object key this value is under is itself unsafe (the path shows it escaped). */
  unsafeKey: boolean;
}

/**
 * Every string (object keys included) in a parsed JSON value, or in a
 * parsed query string or path parameters, that is not safe text — in
 * document order. Arrays and objects are entered by their own enumerable
 * properties — whatever their prototype: parsed query strings use a
 * null-prototype class of their own — except binary data (a Buffer is not
 * text). The walk keeps its own stack, so a deeply nested value
 * cannot overflow the call stack; nesting beyond `maxDepth` is reported
 * (PostgreSQL's jsonb parser has a depth limit of its own, and code that
 * recurses over a value would overflow first).
 */
export function findUnsafeText(value: unknown, limits: UnsafeTextLimits): UnsafeTextIssue[] {
  const issues: UnsafeTextIssue[] = [];
  const stack: Pending[] = [{ value, path: [], depth: 0, unsafeKey: false }];
  while (stack.length > 0 && issues.length < limits.maxIssues) {
    const { value: current, path, depth, unsafeKey } = stack.pop()!;
    if (unsafeKey) {
      issues.push({ path, message: `keys ${UNSAFE_TEXT_MESSAGE}` });
      continue;
    }
    if (typeof current === "string") {
      if (!isSafeText(current)) issues.push({ path, message: UNSAFE_TEXT_MESSAGE });
      continue;
    }
    const entries = childrenOf(current);
    if (entries.length === 0) continue;
    if (depth >= limits.maxDepth) {
      issues.push({ path, message: `must not nest arrays or objects more than ${limits.maxDepth} levels deep` });
      continue;
    }
    // Pushed last to first, so they are popped (and reported) in document order.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, item] = entries[i]!;
      const unsafe = typeof key === "string" && !isSafeText(key);
      stack.push({
        value: item,
        path: [...path, unsafe ? escapeUnsafeText(key) : key],
        depth: depth + 1,
        unsafeKey: unsafe,
      });
    }
  }
  return issues;
}

function childrenOf(value: unknown): Array<[string | number, unknown]> {
  if (Array.isArray(value)) return value.map((item, index) => [index, item]);
  if (typeof value !== "object" || value === null || ArrayBuffer.isView(value)) return [];
  return Object.entries(value);
}
