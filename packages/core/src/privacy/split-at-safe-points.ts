import { isLower } from "./char-classes.js";

/**
 * `text` cut into consecutive pieces of about `targetLength` characters (a
 * piece runs on until the next safe point), whose concatenation is `text`.
 * A safe point is after a newline, a tab, or a space that follows a
 * lowercase letter: no item any detector finds spans one (emails, IPs and
 * developer patterns hold no whitespace; the spaces inside phone, card and
 * IBAN numbers follow a digit, an uppercase letter or `)`), and detectors
 * treat a piece's ends as they treat whitespace. So detecting and redacting
 * piece by piece finds and replaces exactly what the whole text would — and
 * a long text can be worked through in slices, letting other requests run
 * between them. A text with no safe point is one piece.
 */
export function splitAtSafePoints(text: string, targetLength: number): string[] {
  if (text.length <= targetLength) return [text];
  const pieces: string[] = [];
  let start = 0;
  let at = targetLength;
  while (at < text.length) {
    const code = text.charCodeAt(at - 1);
    const safe = code === 10 || code === 9 || (code === 32 && isLower(text.charCodeAt(at - 2)));
    if (safe) {
      pieces.push(text.slice(start, at));
      start = at;
      at += targetLength;
    } else at++;
  }
  pieces.push(text.slice(start));
  return pieces;
}
