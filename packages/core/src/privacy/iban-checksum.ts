/**
 * Whether an IBAN without spaces (`DE89370400440532013000`: uppercase letters
 * and digits) passes ISO 13616's check: the first four characters moved to
 * the end, letters read as 10–35, the number mod 97 is 1. Computed digit by
 * digit, so it never needs a big integer.
 */
export function passesIbanChecksum(compact: string): boolean {
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (let index = 0; index < rearranged.length; index++) {
    const code = rearranged.charCodeAt(index);
    if (code >= 48 && code <= 57) remainder = (remainder * 10 + (code - 48)) % 97;
    else remainder = (remainder * 100 + (code - 55)) % 97;
  }
  return remainder === 1;
}
