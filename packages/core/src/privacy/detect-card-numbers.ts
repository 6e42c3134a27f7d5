import { codeAt, isAlnum, isDigit } from "./char-classes.js";
import { passesLuhn } from "./luhn.js";
import type { PiiSpan } from "./pii-span.js";

/** Payment card numbers run from 13 digits (old Visa) to 19 (some UnionPay, Maestro). */
const MIN_DIGITS = 13;
const MAX_DIGITS = 19;
/** Every card's first group has at least this many digits (nextGroup looks for such a group). */
const MIN_FIRST_GROUP = 4;

const isSeparator = (code: number) => code === 32 || code === 45; // space, dash

/**
 * Payment card numbers: a run of digit groups with single spaces or dashes
 * between them (`4111 1111 1111 1111`, `4111-1111-1111-1111`, or none),
 * standing apart from letters and digits, whose first 13–19 digits up to the
 * end of a group pass the Luhn check — the longest such prefix is the card
 * (so an expiry date written after it is not swallowed).
 *
 * Looks for a card starting at `index` and pushes it onto `found`; answers
 * where to look next (after `index`). Called in text order at least at every
 * digit that starts a run of digits (the only places a card starts; anywhere
 * else it answers `index + 1`), as PiiScan does. Reads a bounded stretch of
 * text, whatever follows.
 */
export function findCardAt(text: string, index: number, found: PiiSpan[]): number {
  if (!isDigit(codeAt(text, index)) || isAlnum(codeAt(text, index - 1))) return index + 1;
  const start = index;
  // The run's end and its digits, reading at most one group past a card's length — and of that group no more
  // than tells whether it is too long and whether it has MIN_FIRST_GROUP digits (all nextGroup asks of it).
  let digits = 0;
  let end = index;
  for (;;) {
    const groupStart = end;
    while (isDigit(codeAt(text, end)) && (digits <= MAX_DIGITS || end - groupStart < MIN_FIRST_GROUP)) {
      end++;
      digits++;
    }
    if (digits > MAX_DIGITS || !isSeparator(codeAt(text, end)) || !isDigit(codeAt(text, end + 1))) break;
    end++;
  }
  // A run cut short above has over 19 digits and ends in a digit: it is no card whole, as it would not be read whole.
  const card = digits < MIN_DIGITS ? undefined : longestCardPrefix(text, start, end);
  if (card !== undefined) found.push({ start, end: card, label: "CARD" });
  // After a card, go on past it; else a card may still start at a later group (`qty 2 4111 1111 …`).
  return card ?? nextGroup(text, start, end);
}

/**
 * Where the next group of `start`–`end` that could begin a card starts (4
 * digits or more: every card's first group has them), or `end` when there
 * is none — so a run of small groups (`1 1 1 …`) is read once, not once per
 * group.
 */
function nextGroup(text: string, start: number, end: number): number {
  let groupStart = start;
  for (let index = start; index <= end; index++) {
    if (index < end && isDigit(text.charCodeAt(index))) continue;
    if (groupStart > start && index - groupStart >= MIN_FIRST_GROUP) return groupStart;
    groupStart = index + 1;
  }
  return end;
}

/**
 * The end of the longest prefix of the run `start`–`end` that ends with a
 * group and whose 13–19 digits pass Luhn; undefined when there is none.
 */
function longestCardPrefix(text: string, start: number, end: number): number | undefined {
  const groupEnds: Array<{ end: number; digits: number }> = [];
  let digits = 0;
  for (let index = start; index < end; index++) {
    if (isDigit(text.charCodeAt(index))) digits++;
    else groupEnds.push({ end: index, digits });
  }
  // The whole run is a candidate only when no letter or digit is glued to its end (`…1111abc` is no card).
  if (!isAlnum(codeAt(text, end))) groupEnds.push({ end, digits });
  for (let group = groupEnds.length - 1; group >= 0 && groupEnds[group]!.digits >= MIN_DIGITS; group--) {
    const prefix = groupEnds[group]!;
    if (prefix.digits <= MAX_DIGITS && passesLuhn(text, start, prefix.end)) return prefix.end;
  }
  return undefined;
}
