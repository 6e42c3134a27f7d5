import { detectPii } from "./detect-pii.js";
import type { RedactionPolicy } from "./redaction-policy.js";

/** `[EMAIL_1]`, `[ORDER_ID_12]`: a label, `_`, a number, in brackets. */
const PLACEHOLDER = /\[([A-Z][A-Z0-9_]*)_([1-9][0-9]{0,5})\]/g;
/** The longest placeholder the vault can issue: a 24-character label, `_`, 6 digits, brackets. */
const MAX_PLACEHOLDER_LENGTH = 33;

/**
 * The personal items of one request and the placeholders that stand for
 * them upstream. Used in two passes over the request's texts: `collect`
 * every text first (what to hide is decided over the whole request, so an
 * item found in one message is hidden wherever it appears), then `redact`
 * each; later, `restore` the answer's texts (or `streamRestorer` for a
 * stream). Placeholders are stable — one item, one placeholder, in every
 * text of the request — and never one that was already written in the
 * request itself (so restoring cannot turn a user's own `[EMAIL_1]` into an
 * address). The items stay in this object, in memory, for the request's
 * life; nothing here logs or stores them.
 */
export class PiiVault {
  readonly #policy: RedactionPolicy;
  /** Items in the order they were first found, before placeholders are given out. */
  readonly #items = new Map<string, string>();
  /** Placeholder-like tokens written in the request: never issued. */
  readonly #taken = new Set<string>();
  readonly #placeholderOf = new Map<string, string>();
  readonly #itemOf = new Map<string, string>();
  /** Items by their first three characters (prefixKey), longest first. */
  readonly #byPrefix = new Map<number, string[]>();
  /** The code units items start with: 1 per ASCII code, and a set for the rest (no 64 KB table per request). */
  readonly #firstAscii = new Uint8Array(128);
  readonly #firstOther = new Set<number>();
  #sealed = false;

  constructor(policy: RedactionPolicy) {
    this.#policy = policy;
  }

  /** First pass: remembers the items of `text` and the placeholder-like tokens it already holds. */
  collect(text: string): void {
    if (this.#sealed) throw new Error("invariant: PiiVault.collect after redact");
    for (const { start, end, label } of detectPii(text, this.#policy)) {
      // Every detector finds at least three characters (redact looks items up by their first three).
      if (end - start < 3) throw new Error(`invariant: a ${label} item shorter than 3 characters`);
      const item = text.slice(start, end);
      if (!this.#items.has(item)) this.#items.set(item, label);
    }
    if (text.includes("[")) for (const [token] of text.matchAll(PLACEHOLDER)) this.#taken.add(token);
  }

  /** How many distinct items the request's texts held (each has one placeholder). */
  get size(): number {
    return this.#items.size;
  }

  /**
   * Second pass: `text` with every occurrence of every collected item
   * replaced by its placeholder — scanning left to right, the longest item
   * starting at a place wins. Items are found by their first three
   * characters (every item has at least three), so the work is linear in the
   * text, however many items the request holds.
   */
  redact(text: string): string {
    this.#seal();
    if (this.#byPrefix.size === 0) return text;
    let redacted = "";
    let reached = 0;
    for (let at = 0; at + 2 < text.length; at++) {
      const code = text.charCodeAt(at);
      if (code < 128 ? this.#firstAscii[code] !== 1 : !this.#firstOther.has(code)) continue;
      const candidates = this.#byPrefix.get(prefixKey(text, at));
      const item = candidates?.find((candidate) => text.startsWith(candidate, at));
      if (item === undefined) continue;
      redacted += text.slice(reached, at) + this.#placeholderOf.get(item)!;
      reached = at + item.length;
      at = reached - 1;
    }
    return reached === 0 ? text : redacted + text.slice(reached);
  }

  /** `text` with each placeholder this vault issued replaced by its item; anything else left as it is. */
  restore(text: string): string {
    if (this.#itemOf.size === 0 || !text.includes("[")) return text;
    return text.replace(PLACEHOLDER, (token) => this.#itemOf.get(token) ?? token);
  }

  /**
   * A restorer for text that arrives in pieces (a stream's deltas): a
   * placeholder split over two pieces is restored whole, at the cost of
   * holding back at most a placeholder's length of text (only ever the start
   * of one this vault issued).
   */
  streamRestorer(): StreamRestorer {
    return new StreamRestorer(this);
  }

  /** Whether `tail` (starting with `[`, no `]` yet) could grow into a placeholder this vault issued. */
  couldBePlaceholder(tail: string): boolean {
    if (tail.length >= MAX_PLACEHOLDER_LENGTH) return false;
    for (const placeholder of this.#itemOf.keys()) if (placeholder.startsWith(tail)) return true;
    return false;
  }

  /** Gives out placeholders, in the order the items were found, skipping any already written in the request. */
  #seal(): void {
    if (this.#sealed) return;
    this.#sealed = true;
    const counters = new Map<string, number>();
    for (const [item, label] of this.#items) {
      let number = counters.get(label) ?? 0;
      let placeholder: string;
      do placeholder = `[${label}_${++number}]`;
      while (this.#taken.has(placeholder));
      counters.set(label, number);
      this.#placeholderOf.set(item, placeholder);
      this.#itemOf.set(placeholder, item);
      const key = prefixKey(item, 0);
      const sameStart = this.#byPrefix.get(key) ?? [];
      sameStart.push(item);
      sameStart.sort((a, b) => b.length - a.length);
      this.#byPrefix.set(key, sameStart);
      const first = item.charCodeAt(0);
      if (first < 128) this.#firstAscii[first] = 1;
      else this.#firstOther.add(first);
    }
  }
}

/** The three code units at `at` as one number (16 bits each: exact in a double). */
function prefixKey(text: string, at: number): number {
  return text.charCodeAt(at) * 4294967296 + text.charCodeAt(at + 1) * 65536 + text.charCodeAt(at + 2);
}

/** See PiiVault.streamRestorer. */
export class StreamRestorer {
  readonly #vault: PiiVault;
  #held = "";

  constructor(vault: PiiVault) {
    this.#vault = vault;
  }

  /** The text that can be shown now, restored; the start of a possible placeholder is kept for the next piece. */
  push(piece: string): string {
    const text = this.#held + piece;
    const open = text.lastIndexOf("[");
    if (open === -1 || text.indexOf("]", open) !== -1 || !this.#vault.couldBePlaceholder(text.slice(open))) {
      this.#held = "";
      return this.#vault.restore(text);
    }
    this.#held = text.slice(open);
    return this.#vault.restore(text.slice(0, open));
  }

  /** What is still held back (the stream ended inside what looked like a placeholder's start), as it came. */
  end(): string {
    const held = this.#held;
    this.#held = "";
    return held;
  }

  /** Whether text is being held back. */
  get holding(): boolean {
    return this.#held.length > 0;
  }
}
