import { codeAt, isAlnum, isDigit, isUpper } from "./char-classes.js";
import { appendIbanChar, passesIbanChecksum } from "./iban-checksum.js";
import type { PiiSpan } from "./pii-span.js";

/** The shortest IBAN (Norway) has 15 characters, the longest 34 (ISO 13616). */
const MIN_LENGTH = 15;
const MAX_LENGTH = 34;
/** Most groups an IBAN is written in: one per character. */
const MAX_GROUPS = MAX_LENGTH;

const isIbanChar = (code: number) => isUpper(code) || isDigit(code);

// Scratch space for findIbanAt, which runs to its end without calling out: one set for all calls, no allocation per
// candidate (a body of `DE89 DE89 …` is a candidate every five characters).
const groupEnds = new Int32Array(MAX_GROUPS);
const lengths = new Int32Array(MAX_GROUPS);
const remainders = new Int32Array(MAX_GROUPS);

/**
 * IBANs: a country code and two check digits (`DE89`), then up to 30
 * uppercase letters and digits, written solid or in groups separated by
 * single spaces, standing apart from other letters and digits; kept when the
 * mod-97 check passes. The longest prefix that ends at a group's end and
 * passes is the IBAN (so a word written after it is not swallowed).
 *
 * Looks for an IBAN starting at `start` and pushes it onto `found`; answers
 * where to look next (after `start`). Called in text order at least two
 * places before every digit that starts a run of digits (where the check
 * digits of `DE89` start one: the only places an IBAN starts; anywhere else
 * it answers `start + 1`), as PiiScan does.
 */
export function findIbanAt(text: string, start: number, found: PiiSpan[]): number {
  const startsHere =
    start + MIN_LENGTH <= text.length &&
    isUpper(codeAt(text, start)) &&
    isUpper(codeAt(text, start + 1)) &&
    isDigit(codeAt(text, start + 2)) &&
    isDigit(codeAt(text, start + 3)) &&
    !isAlnum(codeAt(text, start - 1));
  if (!startsHere) return start + 1;
  // Text index after each character that ends a group, the IBAN characters read up to it, and the check's
  // remainder over them (the first four aside) — so each group end is checked without reading the IBAN again.
  let groups = 0;
  let length = 0;
  let remainder = 0;
  let cursor = start;
  while (length < MAX_LENGTH) {
    for (let code = codeAt(text, cursor); isIbanChar(code) && length < MAX_LENGTH; code = codeAt(text, ++cursor)) {
      if (length >= 4) remainder = appendIbanChar(remainder, code);
      length++;
    }
    groupEnds[groups] = cursor;
    lengths[groups] = length;
    remainders[groups++] = remainder;
    if (codeAt(text, cursor) === 32 && isIbanChar(codeAt(text, cursor + 1))) cursor++;
    else break;
  }
  for (let group = groups - 1; group >= 0 && lengths[group]! >= MIN_LENGTH; group--) {
    const end = groupEnds[group]!;
    if (!isAlnum(codeAt(text, end)) && passesIbanChecksum(remainders[group]!, text, start)) {
      found.push({ start, end, label: "IBAN" });
      return end;
    }
  }
  return start + 1;
}
