/**
 * Size limits on a parsed JSON body, checked before anything walks it.
 *
 * `JSON.parse` accepts any nesting, but code that recurses over the value
 * does not: `JSON.stringify` throws `RangeError` near a few thousand levels,
 * so a small body could make every later step fail. Checking the limits up
 * front turns such a body into a 400 naming the field, whatever route or
 * field (known or passed through) it is in.
 */
export interface JsonBounds {
  /** Deepest nesting of arrays and objects; the body's own object is level 1. */
  maxDepth: number;
  /** Most items in one array. */
  maxArrayLength: number;
  /** Longest string (value or key), in UTF-16 code units (JavaScript's `length`). */
  maxStringLength: number;
}

/** Where a value breaks its bounds, as a path of keys and indexes (zod's issue shape). */
export interface JsonBoundsIssue {
  path: Array<string | number>;
  message: string;
}

/** An array or object being walked, and where the walk is in it. */
interface Frame {
  container: object;
  /** The object's own keys; undefined for an array. */
  keys: string[] | undefined;
  size: number;
  next: number;
  /** This container's key in its parent (unused for the root). */
  key: string | number;
}

/**
 * The first place, in document order, where `value` (a parsed JSON value)
 * breaks `bounds`; undefined when it keeps them. The walk keeps its own
 * stack of at most `maxDepth` frames and stops at the first issue, so any
 * value is checked in time linear in its size without deep recursion.
 */
export function findJsonBoundsIssue(value: unknown, bounds: JsonBounds): JsonBoundsIssue | undefined {
  const stack: Frame[] = [];
  const pathTo = (key: string | number | undefined) => {
    const path = stack.slice(1).map((frame) => frame.key);
    return key === undefined ? path : [...path, key];
  };
  const visit = (item: unknown, key: string | number | undefined): JsonBoundsIssue | undefined => {
    if (typeof item === "string") {
      return item.length > bounds.maxStringLength
        ? { path: pathTo(key), message: `must not be longer than ${bounds.maxStringLength} characters` }
        : undefined;
    }
    if (typeof item !== "object" || item === null) return undefined;
    if (stack.length >= bounds.maxDepth) {
      return { path: pathTo(key), message: `must not nest arrays or objects more than ${bounds.maxDepth} levels deep` };
    }
    const keys = Array.isArray(item) ? undefined : Object.keys(item);
    const size = keys === undefined ? (item as unknown[]).length : keys.length;
    if (keys === undefined && size > bounds.maxArrayLength) {
      return { path: pathTo(key), message: `must not have more than ${bounds.maxArrayLength} items` };
    }
    stack.push({ container: item, keys, size, next: 0, key: key ?? "" });
    return undefined;
  };

  let issue = visit(value, undefined);
  while (issue === undefined && stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if (frame.next === frame.size) {
      stack.pop();
      continue;
    }
    const index = frame.next++;
    if (frame.keys === undefined) {
      issue = visit((frame.container as unknown[])[index], index);
    } else {
      const key = frame.keys[index]!;
      issue =
        key.length > bounds.maxStringLength
          ? { path: pathTo(undefined), message: `must not have keys longer than ${bounds.maxStringLength} characters` }
          : visit((frame.container as Record<string, unknown>)[key], key);
    }
  }
  return issue;
}
