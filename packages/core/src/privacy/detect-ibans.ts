import { codeAt, isAlnum, isDigit, isUpper } from "./char-classes.js";
import { passesIbanChecksum } from "./iban-checksum.js";
import type { PiiSpan } from "./pii-span.js";

/** The shortest IBAN (Norway) has 15 characters, the longest 34 (ISO 13616). */
const MIN_LENGTH = 15;
const MAX_LENGTH = 34;

const isIbanChar = (code: number) => isUpper(code) || isDigit(code);

/**
 * IBANs: a country code and two check digits (`DE89`), then up to 30
 * uppercase letters and digits, written solid or in groups separated by
 * single spaces, standing apart from other letters and digits; kept when the
 * mod-97 check passes. The longest prefix that ends at a group's end and
 * passes is the IBAN (so a word written after it is not swallowed).
 */
export function detectIbans(text: string): PiiSpan[] {
  const spans: PiiSpan[] = [];
  for (let start = 0; start + MIN_LENGTH <= text.length; start++) {
    const startsHere =
      isUpper(codeAt(text, start)) &&
      isUpper(codeAt(text, start + 1)) &&
      isDigit(codeAt(text, start + 2)) &&
      isDigit(codeAt(text, start + 3)) &&
      !isAlnum(codeAt(text, start - 1));
    if (!startsHere) continue;
    let compact = "";
    // Text index after each character that ends a group, with the characters read up to it.
    const groupEnds: Array<{ end: number; length: number }> = [];
    let cursor = start;
    while (compact.length < MAX_LENGTH) {
      while (isIbanChar(codeAt(text, cursor)) && compact.length < MAX_LENGTH) compact += text[cursor++];
      groupEnds.push({ end: cursor, length: compact.length });
      if (codeAt(text, cursor) === 32 && isIbanChar(codeAt(text, cursor + 1))) cursor++;
      else break;
    }
    for (let group = groupEnds.length - 1; group >= 0; group--) {
      const { end, length } = groupEnds[group]!;
      if (length < MIN_LENGTH) break;
      if (!isAlnum(codeAt(text, end)) && passesIbanChecksum(compact.slice(0, length))) {
        spans.push({ start, end, label: "IBAN" });
        start = end - 1;
        break;
      }
    }
  }
  return spans;
}
