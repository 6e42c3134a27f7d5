import { codeAt, isDigit } from "./char-classes.js";
import type { PatternScan } from "./custom-pattern.js";
import { findCardAt } from "./detect-card-numbers.js";
import { findEmailsFrom } from "./detect-emails.js";
import { findIbanAt } from "./detect-ibans.js";
import { findIpv4At, findIpv6From } from "./detect-ip-addresses.js";
import { findPhoneAt } from "./detect-phone-numbers.js";
import type { PiiSpan } from "./pii-span.js";
import type { RedactionPolicy } from "./redaction-policy.js";

/**
 * Every personal item of `text` the policy finds, without overlaps, in text
 * order: where finds overlap, the one starting first wins, then the longer,
 * then the one whose detector comes first in the policy.
 */
export function detectPii(text: string, policy: RedactionPolicy): PiiSpan[] {
  return new PiiScan(text, policy).scanTo(text.length);
}

/**
 * What each detector found, by slot; `RANKS[slot]` breaks a tie between two
 * finds of the same text (an address `192.168.100.200` is an IP before it is
 * a phone number); the developer's patterns come after the built-ins.
 */
const EMAIL = 0;
const IBAN = 1;
const CARD = 2;
const IPV4 = 3;
const IPV6 = 4;
const PHONE = 5;
const PATTERNS = 6;
const RANKS = [0, 1, 2, 3, 3, 4];

const DIGIT = /[0-9]/g;
/** How far to look for a digit one character at a time before searching natively (faster per character, slower to start). */
const NEAR = 16;

/** The first digit at or after `from`, or the text's length. */
function nextDigit(text: string, from: number): number {
  const near = Math.min(from + NEAR, text.length);
  for (let at = from; at < near; at++) if (isDigit(text.charCodeAt(at))) return at;
  if (near === text.length) return near;
  DIGIT.lastIndex = near;
  return DIGIT.test(text) ? DIGIT.lastIndex - 1 : text.length;
}

interface RankedSpan extends PiiSpan {
  rank: number;
}

/**
 * detectPii over one text, a stretch at a time: `scanTo(stop)` answers the
 * items that start before `stop` (and after the previous stop), and a later
 * call goes on from there with what the detectors kept — their places in
 * the text, a pattern's live states, what was found past the stop — so the
 * items of all the calls are exactly detectPii's, wherever the stops fall
 * (an item across a stop included). Each call's work is bounded by its
 * stretch's length plus a bounded reach past it, whatever the text (and
 * the native searches below).
 *
 * One pass over the stretch finds the digits that start a run of digits —
 * the only places (or two before them) where a card, a phone number, an
 * IBAN or an IPv4 address starts — and those detectors look only there;
 * emails are found from `@`, IPv6 addresses from `:`, and each pattern
 * skips to the characters its matches start with. Long stretches without
 * any of these are searched natively (a regular expression, indexOf), which
 * may read past the stop; what they find is kept, so no character is
 * searched twice.
 */
export class PiiScan {
  readonly #text: string;
  readonly #patterns: PatternScan[];
  /** Spans found, by slot, that start at or after `#scanned` (each slot's in text order). */
  readonly #found: PiiSpan[][];
  /** Where each slot's detector goes on from. */
  readonly #cursors: number[];
  /** Where the pass over digits goes on from, and the first digit at or after it (-1: not looked for yet). */
  #digits = 0;
  #nextDigit = -1;
  /** Every item starting before this has been answered. */
  #scanned = 0;
  /** The end of the last item answered: an item starting before it overlaps it. */
  #reached = 0;

  constructor(text: string, policy: RedactionPolicy) {
    this.#text = text;
    this.#patterns = policy.patterns.map((pattern) => pattern.scan(text));
    const slots = PATTERNS + this.#patterns.length;
    this.#found = Array.from({ length: slots }, () => []);
    this.#cursors = new Array<number>(slots).fill(0);
  }

  /** The items starting from the previous stop up to `stop` (the text's end at most), in text order, without overlaps. */
  scanTo(stop: number): PiiSpan[] {
    const text = this.#text;
    const until = Math.min(stop, text.length);
    if (until <= this.#scanned) return [];
    const found = this.#found;
    const cursors = this.#cursors;
    this.#scanDigits(until);
    cursors[EMAIL] = findEmailsFrom(text, cursors[EMAIL]!, until, found[EMAIL]!);
    cursors[IPV6] = findIpv6From(text, cursors[IPV6]!, until, found[IPV6]!);
    this.#patterns.forEach((pattern, index) => pattern.findBefore(until, found[PATTERNS + index]!));
    this.#scanned = until;
    return this.#resolve(until);
  }

  /**
   * Runs the digit-started detectors at every run of digits that starts
   * before `stop` + 2 (an IBAN's check digits start one two places after
   * the IBAN does; a phone number's `+(` comes as far before it).
   */
  #scanDigits(stop: number): void {
    const text = this.#text;
    const end = Math.min(stop + 2, text.length);
    let at = this.#digits;
    while (at < end) {
      if (this.#nextDigit < at) this.#nextDigit = nextDigit(text, at);
      at = this.#nextDigit;
      if (at >= end) break;
      if (!isDigit(codeAt(text, at - 1))) this.#atRunStart(at);
      at++;
      while (at < end && isDigit(text.charCodeAt(at))) at++;
    }
    this.#digits = at;
  }

  /** Each digit-started detector looks where it may start, around a run of digits at `run` (if it has not read past there). */
  #atRunStart(run: number): void {
    const text = this.#text;
    const found = this.#found;
    const cursors = this.#cursors;
    for (let at = Math.max(0, run - 2); at <= run; at++) {
      if (cursors[PHONE]! <= at) cursors[PHONE] = findPhoneAt(text, at, found[PHONE]!);
    }
    if (run >= 2 && cursors[IBAN]! <= run - 2) cursors[IBAN] = findIbanAt(text, run - 2, found[IBAN]!);
    if (cursors[CARD]! <= run) cursors[CARD] = findCardAt(text, run, found[CARD]!);
    if (cursors[IPV4]! <= run) cursors[IPV4] = findIpv4At(text, run, found[IPV4]!);
  }

  /** The finds starting before `stop`, overlaps removed (the earliest, then the longest, then the lowest rank wins). */
  #resolve(stop: number): PiiSpan[] {
    const batch: RankedSpan[] = [];
    this.#found.forEach((spans, slot) => {
      let taken = 0;
      while (taken < spans.length && spans[taken]!.start < stop) {
        const { start, end, label } = spans[taken++]!;
        batch.push({ start, end, label, rank: RANKS[slot] ?? slot - 1 });
      }
      if (taken > 0) spans.splice(0, taken);
    });
    if (batch.length > 1) {
      batch.sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start) || a.rank - b.rank);
    }
    const kept: PiiSpan[] = [];
    for (const { start, end, label } of batch) {
      if (start < this.#reached) continue;
      kept.push({ start, end, label });
      this.#reached = end;
    }
    return kept;
  }
}
