/** A prime below 2^26: a hash times the base stays below 2^52, exact in a double. */
const MODULUS = 67_108_859;

/**
 * The items of a vault, to find which of them starts at a place in a text:
 * the longest one, in work bounded by the longest item's length whatever
 * the number of items. Items are grouped by their first three characters
 * (every item has at least three) and, within a group, by length; at a
 * place whose first three characters start a group, one pass over the text
 * computes a polynomial hash of each length there (modulo a prime, with a
 * base drawn for each index, so nobody can write text whose hashes collide
 * on purpose), and only items of a matching hash are compared.
 */
export class ItemIndex {
  readonly #base = 256 + Math.floor(Math.random() * (MODULUS - 512));
  /** Distinct item lengths by the items' first three characters (prefixKey), longest first. */
  readonly #lengths = new Map<number, number[]>();
  /** Items by length, then by hash (small integers: fast keys); an array only where hashes collide (one object less per item to keep). */
  readonly #byHash: Array<Map<number, string | string[]> | undefined> = [];
  readonly #firsts = new Set<number>();
  #hashes = new Float64Array(0);
  #itemStart: RegExp | undefined;

  /** Adds `item` (three characters or more; each item once). */
  add(item: string): void {
    const key = prefixKey(item, 0);
    const lengths = this.#lengths.get(key);
    if (lengths === undefined) this.#lengths.set(key, [item.length]);
    else if (!lengths.includes(item.length)) {
      lengths.push(item.length);
      lengths.sort((a, b) => b - a);
    }
    const hash = this.#hashOf(item, 0, item.length);
    const ofLength = (this.#byHash[item.length] ??= new Map());
    const same = ofLength.get(hash);
    if (same === undefined) ofLength.set(hash, item);
    else if (typeof same === "string") ofLength.set(hash, [same, item]);
    else same.push(item);
    this.#firsts.add(item.charCodeAt(0));
    this.#itemStart = undefined;
    if (this.#hashes.length <= item.length) this.#hashes = new Float64Array(item.length + 1);
  }

  /**
   * The first place at or after `from` where an item may start (its first
   * character is one an item starts with), or the text's length — found by
   * a native search, faster than reading each character here.
   */
  nextStart(text: string, from: number): number {
    if (this.#firsts.size === 0) return text.length;
    if (this.#itemStart === undefined) {
      const codes = [...this.#firsts].map((code) => `\\u${code.toString(16).padStart(4, "0")}`);
      this.#itemStart = new RegExp(`[${codes.join("")}]`, "g");
    }
    this.#itemStart.lastIndex = from;
    return this.#itemStart.test(text) ? this.#itemStart.lastIndex - 1 : text.length;
  }

  /** The longest item that starts at `at` in `text`, if any. */
  longestAt(text: string, at: number): string | undefined {
    const lengths = this.#lengths.get(prefixKey(text, at));
    if (lengths === undefined) return undefined;
    const reach = Math.min(lengths[0]!, text.length - at);
    const hashes = this.#hashes;
    const base = this.#base;
    let hash = 0;
    for (let length = 1; length <= reach; length++) {
      hash = reduce(hash * base + text.charCodeAt(at + length - 1));
      hashes[length] = hash;
    }
    for (const length of lengths) {
      if (length > reach) continue;
      const items = this.#byHash[length]!.get(hashes[length]!);
      if (typeof items === "string") {
        if (text.startsWith(items, at)) return items;
      } else {
        const item = items?.find((candidate) => text.startsWith(candidate, at));
        if (item !== undefined) return item;
      }
    }
    return undefined;
  }

  #hashOf(text: string, start: number, end: number): number {
    let hash = 0;
    for (let index = start; index < end; index++) hash = reduce(hash * this.#base + text.charCodeAt(index));
    return hash;
  }
}

/** `value` modulo MODULUS, for a value below 2^53 (faster than `%` on doubles). */
const reduce = (value: number) => value - Math.floor(value / MODULUS) * MODULUS;

/** The three code units at `at` as one number (16 bits each: exact in a double). */
function prefixKey(text: string, at: number): number {
  return text.charCodeAt(at) * 4294967296 + text.charCodeAt(at + 1) * 65536 + text.charCodeAt(at + 2);
}
