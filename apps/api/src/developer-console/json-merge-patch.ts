/** A JSON object: not null, not an array. */
function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * `patch` applied to `target` as a JSON Merge Patch (RFC 7386,
 * https://www.rfc-editor.org/rfc/rfc7386): an object merges into the target
 * key by key, recursively; `null` removes a key; anything else — arrays
 * included — replaces the target's value whole. Neither input is changed.
 * Recursion goes as deep as the patch, which the API bounds (MAX_INPUT_DEPTH).
 */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return patch;
  // A Map, then Object.fromEntries: a key such as "__proto__" stays an own data property.
  const merged = new Map(isJsonObject(target) ? Object.entries(target) : []);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) merged.delete(key);
    else merged.set(key, applyMergePatch(merged.get(key), value));
  }
  return Object.fromEntries(merged);
}
