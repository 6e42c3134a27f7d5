/**
 * ISO 13616's check of an IBAN (`DE89 3704 …`): its first four characters
 * moved to the end, letters read as 10–35, the number mod 97 is 1 — computed
 * character by character, so it needs neither a big integer nor a copy of
 * the text, and the remainder of a longer prefix carries on from a shorter
 * one's.
 */

/** `remainder` (mod 97) with the IBAN character `code` appended: a digit as itself, a letter as its two digits. */
export function appendIbanChar(remainder: number, code: number): number {
  return code >= 48 && code <= 57 ? (remainder * 10 + (code - 48)) % 97 : (remainder * 100 + (code - 55)) % 97;
}

/**
 * Whether the IBAN whose first four characters (never spaced) are at
 * `start` in `text` passes the check, given `bodyRemainder`: appendIbanChar
 * over every character after those four.
 */
export function passesIbanChecksum(bodyRemainder: number, text: string, start: number): boolean {
  let remainder = bodyRemainder;
  for (let index = start; index < start + 4; index++) remainder = appendIbanChar(remainder, text.charCodeAt(index));
  return remainder === 1;
}
