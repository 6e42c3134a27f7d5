/**
 * Whether the decimal digits of `text` between `start` and `end` (anything
 * else skipped: the separators of `4111 1111 …`) pass the Luhn check, as
 * every payment card number does.
 */
export function passesLuhn(text: string, start = 0, end = text.length): boolean {
  let sum = 0;
  let double = false;
  for (let index = end - 1; index >= start; index--) {
    const code = text.charCodeAt(index);
    if (code < 48 || code > 57) continue;
    let digit = code - 48;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}
