/**
 * JSON with every object's keys in code-point order, at every depth, and no
 * whitespace: two values that differ only in key order serialize the same.
 * Arrays keep their order (it means something in messages and tools).
 * Expects parsed JSON (no undefined inside arrays, no cycles, no bigints).
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
