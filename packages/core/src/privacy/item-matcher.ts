/** The trie's root; also "no node" in the buckets and chains (the root is nobody's child). */
const ROOT = 0;
/** Codes below this have their root child in a plain table: the common first step, looked up without hashing. */
const DIRECT_CODES = 128;
/*
 * A node's fields: its parent; the code leading to it; the next node in its
 * bucket; until it is linked, the next node of its depth (the order links are
 * computed in), then its suffix link (the longest proper suffix that is a
 * node) in the same place; and 1 + the number of the longest item among its
 * suffixes (following suffix links), or 0.
 */
const PARENT = 0;
const CODE = 1;
const CHAIN = 2;
const SAME_DEPTH = 3;
const FAIL = 3;
const BEST = 4;
const FIELDS = 5;
/** A step reads at least this many places at a time past a place where an item may start. */
const MIN_WINDOW = 64;

/**
 * Finds a vault's items in a text, leftmost-longest: scanning left to right,
 * at the first place where an item starts the longest one starting there is
 * taken, and the scan goes on after it. Work is linear in the text's length
 * plus the number of matches, whatever the items (however many, however
 * alike), and bounded for each step of a long text.
 *
 * How: what the scan needs at a place is the longest item starting there.
 * An Aho–Corasick automaton over the items written backwards, run from right
 * to left, knows it at every place in constant amortized time (its state at
 * a place is the longest stretch from there that ends some item; each state
 * knows the longest whole item among its suffix links). A step reads its
 * stretch backwards from one item's length past its end (every item starting
 * in the stretch is then read whole), then takes matches left to right.
 *
 * Use: `add` every item, `linking` until done, then `scanning` texts.
 */
export class ItemMatcher {
  /** By node, FIELDS numbers: see the field offsets below (one array: a vault of six items allocates little). */
  #nodes: Int32Array;
  #count = 1;
  /** The most nodes there can be. */
  readonly #capacity: number;
  /** The buckets of (parent, code) → child, then the root's children by code below DIRECT_CODES. */
  readonly #table: Int32Array;
  readonly #bucketBits: number;
  /** Random odd multipliers for the bucket hash, so nobody can write items that collide on purpose. */
  readonly #mixNode = randomOdd();
  readonly #mixCode = randomOdd();
  /** The first node of each depth. */
  readonly #depthHeads: number[] = [];
  readonly #lengths: number[] = [];
  /** The first code unit of each item, to skip to the places where one may start. */
  readonly #firsts = new Set<number>();
  #itemStart: RegExp | undefined;
  #longest = 0;
  #linked = false;
  #linking: { depth: number; node: number } | undefined;

  /** `capacity`: the items' total length, or more (the trie has at most one node per character). */
  constructor(capacity: number) {
    this.#bucketBits = Math.max(4, Math.ceil(Math.log2(capacity / 2 + 1)));
    this.#table = new Int32Array(2 ** this.#bucketBits + DIRECT_CODES);
    this.#capacity = capacity + 1;
    this.#nodes = new Int32Array(FIELDS * Math.min(this.#capacity, 1024));
  }

  /** Adds `item` (not empty; each item once), and answers its number: 0, 1, 2, … in the order added. */
  add(item: string): number {
    if (this.#linking !== undefined) throw new Error("invariant: ItemMatcher.add after linking");
    const number = this.#lengths.length;
    let node = ROOT;
    // Once a node is new, so are the rest (a new node has no children): no need to look them up.
    let fresh = false;
    for (let index = item.length - 1; index >= 0; index--) {
      const code = item.charCodeAt(index);
      const child: number = fresh ? ROOT : this.#child(node, code);
      fresh = child === ROOT;
      node = fresh ? this.#newChild(node, code, item.length - index) : child;
    }
    this.#nodes[node + BEST] = number + 1;
    this.#lengths.push(item.length);
    this.#firsts.add(item.charCodeAt(0));
    this.#longest = Math.max(this.#longest, item.length);
    return number;
  }

  /** The length of item `number`. */
  lengthOf(number: number): number {
    return this.#lengths[number]!;
  }

  /**
   * Computes the suffix links, `nodes` nodes at each step (shallowest
   * first: a node's link is found from its parent's); answers true once
   * done. No item can be added after.
   */
  linking(nodes: number): boolean {
    if (this.#linked) return true;
    const at = (this.#linking ??= { depth: 1, node: this.#depthHeads[1] ?? ROOT });
    for (let done = 0; done < nodes; done++) {
      while (at.node === ROOT) {
        if (++at.depth >= this.#depthHeads.length) {
          this.#linked = true;
          return true;
        }
        at.node = this.#depthHeads[at.depth]!;
      }
      const next = this.#nodes[at.node + SAME_DEPTH]!;
      this.#link(at.node);
      at.node = next;
    }
    return false;
  }

  /**
   * Finds the items in `text` a step at a time: each `step(length)` reports,
   * through `found`, the matches starting in about `length` more characters
   * (at least the longest item's length), in order; answers true once the
   * text is done. The matches are the same however the text is stepped.
   */
  scanning(text: string, found: (start: number, item: number) => void): { step(length: number): boolean } {
    if (!this.#linked) throw new Error("invariant: ItemMatcher.scanning before linking");
    // The longest item at each place of a window where one starts, found backwards, taken back forwards.
    const starts: number[] = [];
    const items: number[] = [];
    const window = Math.max(this.#longest, MIN_WINDOW);
    // Where the next match may start.
    let from = 0;
    return {
      step: (length) => {
        const end = Math.min(text.length, from + Math.max(length, this.#longest));
        // Windows from each place where an item may start: between them, no item starts.
        for (let start = this.#nextStart(text, from); start < end; start = this.#nextStart(text, from)) {
          const stop = Math.min(end, start + window);
          this.#longestAt(text, start, stop, starts, items);
          for (let index = starts.length - 1; index >= 0; index--) {
            const at = starts[index]!;
            if (at < from) continue;
            const item = items[index]!;
            found(at, item);
            from = at + this.#lengths[item]!;
          }
          starts.length = 0;
          items.length = 0;
          from = Math.max(from, stop);
        }
        from = Math.max(from, end);
        return from >= text.length;
      },
    };
  }

  /**
   * The first place at or after `from` where an item may start (its first
   * character is one an item starts with), or the text's length — found by
   * a native search, faster than reading each character here.
   */
  #nextStart(text: string, from: number): number {
    if (this.#firsts.size === 0) return text.length;
    if (this.#itemStart === undefined) {
      const codes = [...this.#firsts].map((code) => `\\u${code.toString(16).padStart(4, "0")}`);
      this.#itemStart = new RegExp(`[${codes.join("")}]`, "g");
    }
    this.#itemStart.lastIndex = from;
    return this.#itemStart.test(text) ? this.#itemStart.lastIndex - 1 : text.length;
  }

  /**
   * Pushes onto `starts` and `items`, from right to left, each place in
   * `text` from `from` to `end` where an item starts, and the longest item
   * starting there. Reads on to one item's length past `end`, so each of
   * them is read whole.
   */
  #longestAt(text: string, from: number, end: number, starts: number[], items: number[]): void {
    const nodes = this.#nodes;
    const table = this.#table;
    const rootChildren = table.length - DIRECT_CODES;
    let node = ROOT;
    for (let index = Math.min(text.length, end + this.#longest - 1) - 1; index >= from; index--) {
      const code = text.charCodeAt(index);
      if (node === ROOT && code < DIRECT_CODES) {
        node = table[rootChildren + code]!;
        if (node === ROOT) continue;
      } else {
        let next = this.#child(node, code);
        while (next === ROOT && node !== ROOT) {
          node = nodes[node + FAIL]!;
          next = this.#child(node, code);
        }
        node = next;
      }
      const item = nodes[node + BEST]!;
      if (item !== 0 && index < end) {
        starts.push(index);
        items.push(item - 1);
      }
    }
  }

  /** The node reached from `node` by `code`, or ROOT if none. */
  #child(node: number, code: number): number {
    const table = this.#table;
    if (node === ROOT && code < DIRECT_CODES) return table[table.length - DIRECT_CODES + code]!;
    const nodes = this.#nodes;
    let child = table[this.#bucket(node, code)]!;
    while (child !== ROOT && (nodes[child + PARENT] !== node || nodes[child + CODE] !== code)) {
      child = nodes[child + CHAIN]!;
    }
    return child;
  }

  #bucket(node: number, code: number): number {
    return Math.imul(Math.imul(node, this.#mixNode) ^ code, this.#mixCode) >>> (32 - this.#bucketBits);
  }

  #newChild(parent: number, code: number, depth: number): number {
    if (this.#count * FIELDS === this.#nodes.length) {
      // Doubles the room for nodes, up to the most there can be (a native copy: cheap next to building the nodes).
      const grown = new Int32Array(Math.min(this.#nodes.length * 2, this.#capacity * FIELDS));
      grown.set(this.#nodes);
      this.#nodes = grown;
    }
    const nodes = this.#nodes;
    const node = this.#count++ * FIELDS;
    nodes[node + PARENT] = parent;
    nodes[node + CODE] = code;
    const table = this.#table;
    if (parent === ROOT && code < DIRECT_CODES) table[table.length - DIRECT_CODES + code] = node;
    else {
      const bucket = this.#bucket(parent, code);
      nodes[node + CHAIN] = table[bucket]!;
      table[bucket] = node;
    }
    nodes[node + SAME_DEPTH] = this.#depthHeads[depth] ?? ROOT;
    this.#depthHeads[depth] = node;
    return node;
  }

  /** The suffix link of `node` (all shallower nodes linked; its next of depth read), and the longest item among its suffixes. */
  #link(node: number): void {
    const nodes = this.#nodes;
    const parent = nodes[node + PARENT]!;
    const code = nodes[node + CODE]!;
    let link = ROOT;
    if (parent !== ROOT) {
      let suffix = nodes[parent + FAIL]!;
      link = this.#child(suffix, code);
      while (link === ROOT && suffix !== ROOT) {
        suffix = nodes[suffix + FAIL]!;
        link = this.#child(suffix, code);
      }
    }
    nodes[node + FAIL] = link;
    if (nodes[node + BEST] === 0) nodes[node + BEST] = nodes[link + BEST]!;
  }
}

function randomOdd(): number {
  return (Math.floor(Math.random() * 2 ** 32) | 1) >>> 0;
}
