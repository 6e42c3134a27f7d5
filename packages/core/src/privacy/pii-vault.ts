import { PiiScan } from "./detect-pii.js";
import { ItemMatcher } from "./item-matcher.js";
import type { RedactionPolicy } from "./redaction-policy.js";

/** `[EMAIL_1]`, `[ORDER_ID_12]`: a label, `_`, a number, in brackets. */
const PLACEHOLDER = /\[([A-Z][A-Z0-9_]*)_([1-9][0-9]{0,5})\]/g;
/** A placeholder the vault could issue (a label of at most 24 characters), at one `[`. */
const ISSUABLE_PLACEHOLDER_AT = /\[[A-Z][A-Z0-9_]{0,23}_[1-9][0-9]{0,5}\]/y;
/** The longest placeholder the vault can issue: a 24-character label, `_`, 6 digits, brackets. */
const MAX_PLACEHOLDER_LENGTH = 33;
/** Suffix links computed per item given out, at each sealing step (an item is at most a few hundred characters). */
const LINKS_PER_ITEM = 64;

/**
 * The personal items of one request and the placeholders that stand for
 * them upstream. Used in two passes over the request's texts: `collect`
 * every text first (what to hide is decided over the whole request, so an
 * item found in one message is hidden wherever it appears), then `redact`
 * each; later, `restore` the answer's texts (or `streamRestorer` for a
 * stream). A long text can be collected and redacted a stretch at a time
 * (`collecting`, `sealing`, `redacting`), with exactly the same result.
 * Placeholders are stable — one item, one placeholder, in every text of the
 * request — and never one that was already written in the
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
  /** The items' total length (the matcher's nodes are at most that many). */
  #itemsLength = 0;
  /** Placeholders by the matcher's item number. */
  readonly #placeholders: string[] = [];
  readonly #itemOf = new Map<string, string>();
  /** The numbers given out, by label, in increasing order. */
  readonly #issued = new Map<string, number[]>();
  /** The items, to find them in a text (filled once the placeholders are given out). */
  #matcher: ItemMatcher | undefined;
  #sealed = false;
  /** Giving out placeholders, until done (see sealing). */
  #sealing: TextSteps | undefined;

  constructor(policy: RedactionPolicy) {
    this.#policy = policy;
  }

  /** First pass: remembers the items of `text` and the placeholder-like tokens it already holds. */
  collect(text: string): void {
    this.collecting(text).step(text.length);
  }

  /** `collect`, a stretch of `text` at each `step` (in order, text after text, before any redact). */
  collecting(text: string): TextSteps {
    const scan = new PiiScan(text, this.#policy);
    let scanned = 0;
    let bracket = text.indexOf("[");
    return {
      step: (length) => {
        if (this.#sealed) throw new Error("invariant: PiiVault.collect after redact");
        const stop = Math.min(scanned + length, text.length);
        for (const { start, end, label } of scan.scanTo(stop)) {
          // Every detector finds at least three characters (redact looks items up by their first three).
          if (end - start < 3) throw new Error(`invariant: a ${label} item shorter than 3 characters`);
          const item = text.slice(start, end);
          if (!this.#items.has(item)) {
            this.#items.set(item, label);
            this.#itemsLength += item.length;
          }
        }
        for (; bracket !== -1 && bracket < stop; bracket = text.indexOf("[", bracket + 1)) {
          ISSUABLE_PLACEHOLDER_AT.lastIndex = bracket;
          const token = ISSUABLE_PLACEHOLDER_AT.exec(text);
          if (token) this.#taken.add(token[0]);
        }
        scanned = stop;
        return scanned === text.length;
      },
    };
  }

  /** How many distinct items the request's texts held (each has one placeholder). */
  get size(): number {
    return this.#items.size;
  }

  /**
   * Second pass: `text` with every occurrence of every collected item
   * replaced by its placeholder — scanning left to right, the longest item
   * starting at a place wins. Items are found by an ItemMatcher, in work
   * linear in the text's length (plus the matches), however many items the
   * request holds and however alike they are.
   */
  redact(text: string): string {
    const redacting = this.redacting(text);
    redacting.step(text.length);
    return redacting.text;
  }

  /** `redact`, a stretch of `text` at each `step`; `text` is the redacted text once a step answers true. */
  redacting(text: string): TextSteps & { readonly text: string } {
    this.#seal();
    const matcher = this.#matcher!;
    // The redacted text so far: each step's pieces joined into one flat string (a text with many items would
    // otherwise become one deep string of pieces, flattened at once by whatever reads it next).
    const redacted: string[] = [];
    let pieces: string[] = [];
    let reached = 0;
    const scan = matcher.scanning(text, (start, item) => {
      pieces.push(text.slice(reached, start), this.#placeholders[item]!);
      reached = start + matcher.lengthOf(item);
    });
    const steps = {
      text,
      step: (length: number) => {
        if (this.#items.size === 0) return true;
        const done = scan.step(length);
        if (pieces.length > 0) redacted.push(pieces.join(""));
        pieces = [];
        if (!done) return false;
        if (reached > 0) steps.text = redacted.join("") + text.slice(reached);
        return true;
      },
    };
    return steps;
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

  /**
   * Whether `tail` (starting with `[`, no `]` yet) could grow into a
   * placeholder this vault issued — looked up by label and number, not by
   * going through every placeholder (a stream asks at every `[`).
   */
  couldBePlaceholder(tail: string): boolean {
    if (tail.length >= MAX_PLACEHOLDER_LENGTH) return false;
    for (const [label, numbers] of this.#issued) {
      const head = `[${label}_`;
      if (tail.length <= head.length) {
        if (head.startsWith(tail)) return true;
      } else if (tail.startsWith(head) && hasNumberStartingWith(numbers, tail.slice(head.length))) return true;
    }
    return false;
  }

  /**
   * Gives out the placeholders, `length` items at each step (a request may
   * hold hundreds of thousands), then links the matcher's nodes, about
   * `length` items' worth at each step: after the last `collecting` step,
   * before `redacting`, which does what is left at once.
   */
  sealing(): TextSteps {
    if (this.#sealed === false) {
      this.#sealed = true;
      const items = this.#items.entries();
      const counters = new Map<string, number>();
      const matcher = (this.#matcher = new ItemMatcher(this.#itemsLength));
      let given = false;
      this.#sealing = {
        step: (length) => {
          for (let count = 0; !given && count < length; count++) {
            const next = items.next();
            if (next.done === true) given = true;
            else this.#giveOut(next.value[0], next.value[1], counters, matcher);
          }
          if (!given || !matcher.linking(length * LINKS_PER_ITEM)) return false;
          this.#sealing = undefined;
          return true;
        },
      };
    }
    return this.#sealing ?? { step: () => true };
  }

  #seal(): void {
    this.sealing().step(Infinity);
  }

  /** The item's placeholder: the next number of its label, skipping any already written in the request. */
  #giveOut(item: string, label: string, counters: Map<string, number>, matcher: ItemMatcher): void {
    let number = counters.get(label) ?? 0;
    let placeholder: string;
    do placeholder = `[${label}_${++number}]`;
    while (this.#taken.has(placeholder));
    counters.set(label, number);
    const issued = this.#issued.get(label);
    if (issued === undefined) this.#issued.set(label, [number]);
    else issued.push(number);
    this.#itemOf.set(placeholder, item);
    this.#placeholders[matcher.add(item)] = placeholder;
  }
}

/** Whether one of `numbers` (increasing) is written with `digits` first (`12` → 12, 120–129, 1200–1299, …). */
function hasNumberStartingWith(numbers: readonly number[], digits: string): boolean {
  if (!/^[1-9][0-9]*$/.test(digits)) return false;
  const last = numbers[numbers.length - 1]!;
  for (let low = Number(digits), width = 1; low <= last; low *= 10, width *= 10) {
    // The first number at or above `low`, by bisection: is it below `low + width`?
    let from = 0;
    let to = numbers.length;
    while (from < to) {
      const middle = (from + to) >>> 1;
      if (numbers[middle]! < low) from = middle + 1;
      else to = middle;
    }
    if (from < numbers.length && numbers[from]! < low + width) return true;
  }
  return false;
}

/** Collecting or redacting one text a stretch at a time. */
export interface TextSteps {
  /**
   * Works through about `length` more characters (items that run past them
   * are read whole); answers true once the text is done.
   */
  step(length: number): boolean;
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
