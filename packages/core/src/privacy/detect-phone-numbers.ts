import { codeAt, isAlnum, isDigit } from "./char-classes.js";
import type { PiiSpan } from "./pii-span.js";

/** E.164 numbers have at most 15 digits; with a `+`, at least 8 are needed to be one. */
const MAX_DIGITS = 15;
const MIN_DIGITS_INTERNATIONAL = 8;
/** Without a `+`: a national number with its area code, written in groups. */
const MIN_DIGITS_NATIONAL = 10;
const MAX_GROUP_NATIONAL = 8;

const PLUS = 43;
const OPEN = 40;
const CLOSE = 41;
const DOT = 46;
const isSeparator = (code: number) => code === 32 || code === 45 || code === DOT; // space, dash, dot

/** What readGroups saw: where the last group ends, and counts (no allocation per candidate: this runs at every digit). */
interface Groups {
  end: number;
  groups: number;
  digits: number;
  smallestGroup: number;
  largestGroup: number;
  /** Which separators appeared: 1 space, 2 dash, 4 dot. */
  separators: number;
}

const separatorBit = (code: number) => (code === 32 ? 1 : code === 45 ? 2 : 4);
const DOT_BIT = 4;

/**
 * Telephone numbers as people write them: `+` and 8–15 digits in any
 * grouping (`+44 20 7946 0958`, `+14155550100`), or 10–15 digits in at least
 * two groups of at most 8 (`(415) 555-0100`, `030 1234 5678`). Groups are
 * separated by one space, dash or dot (dots only between groups of 2–4
 * digits, so `3.14159 2.71828` is no number); a bare run of digits with no
 * `+` is not taken for one (an order number, a timestamp).
 *
 * Looks for a number starting at `index` and pushes it onto `found`;
 * answers where to look next (after `index`). Called in text order at least
 * at every digit that starts a run of digits and the two places before it
 * (`+`, `(`, `+(`: the only places a number starts; anywhere else it answers
 * `index + 1`), as PiiScan does.
 */
export function findPhoneAt(text: string, index: number, found: PiiSpan[]): number {
  const code = codeAt(text, index);
  const mayStart = code === PLUS || code === OPEN || isDigit(code);
  const before = mayStart ? codeAt(text, index - 1) : -1;
  if (!mayStart || isAlnum(before) || before === PLUS || before === DOT) return index + 1;
  const international = code === PLUS;
  const groups = readGroups(text, international ? index + 1 : index);
  if (groups && isPhone(groups, international) && !isAlnum(codeAt(text, groups.end))) {
    found.push({ start: index, end: groups.end, label: "PHONE" });
  }
  return Math.max(index + 1, groups?.end ?? 0);
}

/**
 * Digit groups (each may be in parentheses) joined by single separators,
 * from `index`; undefined when there is none. `end` is after the last group
 * read; reading stops once more digits than a number holds were read — in
 * the middle of a group when that changes nothing (the caller resumes at
 * `end`, and no number starts inside a run of digits), so a run of digits
 * is not read to its end. A parenthesized group after others is read whole:
 * whether its `)` comes decides whether the groups before it are a number.
 */
function readGroups(text: string, index: number): Groups | undefined {
  const seen: Groups = { end: index, groups: 0, digits: 0, smallestGroup: Infinity, largestGroup: 0, separators: 0 };
  let cursor = index;
  while (seen.digits <= MAX_DIGITS) {
    const parenthesized = codeAt(text, cursor) === OPEN;
    const groupStart = parenthesized ? cursor + 1 : cursor;
    const most = parenthesized && seen.groups > 0 ? Infinity : MAX_DIGITS - seen.digits + 1;
    let groupEnd = groupStart;
    while (isDigit(codeAt(text, groupEnd)) && groupEnd - groupStart < most) groupEnd++;
    if (groupEnd - groupStart === most && isDigit(codeAt(text, groupEnd))) {
      // Too many digits for a number, whatever follows: no need to read on.
      seen.digits += most;
      seen.end = groupEnd;
      break;
    }
    if (groupEnd === groupStart || (parenthesized && codeAt(text, groupEnd) !== CLOSE)) break;
    const size = groupEnd - groupStart;
    seen.groups++;
    seen.digits += size;
    seen.smallestGroup = Math.min(seen.smallestGroup, size);
    seen.largestGroup = Math.max(seen.largestGroup, size);
    seen.end = parenthesized ? groupEnd + 1 : groupEnd;
    const separator = codeAt(text, seen.end);
    const next = codeAt(text, seen.end + 1);
    if (!isSeparator(separator) || !(isDigit(next) || next === OPEN)) break;
    seen.separators |= separatorBit(separator);
    cursor = seen.end + 1;
  }
  return seen.groups === 0 && seen.digits === 0 ? undefined : seen;
}

function isPhone(seen: Groups, international: boolean): boolean {
  if (seen.digits > MAX_DIGITS) return false;
  if (seen.separators & DOT_BIT && (seen.separators !== DOT_BIT || seen.smallestGroup < 2 || seen.largestGroup > 4)) {
    return false;
  }
  if (international) return seen.digits >= MIN_DIGITS_INTERNATIONAL;
  return seen.digits >= MIN_DIGITS_NATIONAL && seen.groups >= 2 && seen.largestGroup <= MAX_GROUP_NATIONAL;
}
