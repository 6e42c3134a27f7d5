/** A function applied to each text of a request or an answer (collect, redact or restore). */
export type TextMap = (text: string) => string;

/** Deepest nesting mapped into, as the Gateway's body bounds (GATEWAY_BODY_BOUNDS.maxDepth). */
const MAX_DEPTH = 64;

/**
 * `value` with `map` applied to every string inside it (object keys left
 * alone), down to 64 levels; anything deeper is left as it is (an upstream
 * answer nested deeper is passed on unrestored rather than overflow the stack).
 */
export function mapStrings(value: unknown, map: TextMap, depth = 0): unknown {
  if (typeof value === "string") return map(value);
  if (depth >= MAX_DEPTH || typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapStrings(item, map, depth + 1)]));
}

/** Whether `value` nests deeper than `limit` levels (looks no deeper than that). */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (limit === 0) return true;
  return Object.values(value).some((item) => nestsDeeperThan(item, limit - 1));
}

/**
 * JSON text (a tool call's `arguments`): `map` applied to the strings inside
 * it, the result serialized again — never to the JSON text itself, where an
 * item could take in part of an escape (`\n`) and leave invalid JSON for an
 * adapter to parse. Text that is not JSON, or nests deeper than mapStrings
 * goes, is mapped as text: nothing in it escapes the map.
 */
export function mapJsonText(text: string, map: TextMap): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return map(text);
  }
  if (nestsDeeperThan(parsed, MAX_DEPTH - 1)) return map(text);
  return JSON.stringify(mapStrings(parsed, map));
}
