import { isAlnum, isLower } from "./char-classes.js";

/**
 * Inside a run of letters and digits, how far a safe point must be from
 * anything else: behind it, farther than an email's domain reaches from its
 * `@` (253); ahead, farther than any item may run from its start (64).
 */
const RUN_BEHIND = 260;
const RUN_AHEAD = 70;

/**
 * `text` cut into consecutive pieces of about `targetLength` characters (a
 * piece runs on until the next safe point), whose concatenation is `text`.
 * A safe point is where no item can span, and where a detector reading a
 * piece's end finds what it finds in the whole text:
 * - after a newline, a tab, or a space that follows a lowercase letter: no
 *   item holds one (emails, IPs and developer patterns hold no whitespace;
 *   the spaces of phone, card and IBAN numbers follow a digit, an uppercase
 *   letter or `)`), and detectors treat a piece's ends as whitespace;
 * - deep inside a long run of letters and digits (a token, a blob): items
 *   start and end only at the edges of such runs (or, for an email, within
 *   reach of its `@`), never 260 characters into one and 70 before its end.
 * So detecting and redacting piece by piece finds and replaces exactly what
 * the whole text would, and a long text can be worked through in slices.
 */
export function splitAtSafePoints(text: string, targetLength: number): string[] {
  if (text.length <= targetLength) return [text];
  const pieces: string[] = [];
  let start = 0;
  let at = targetLength;
  let alnumBehind = alnumRunBefore(text, at);
  while (at < text.length) {
    if (isSafePoint(text, at, alnumBehind)) {
      pieces.push(text.slice(start, at));
      start = at;
      at += targetLength;
      alnumBehind = alnumRunBefore(text, at);
      continue;
    }
    alnumBehind = isAlnum(text.charCodeAt(at)) ? alnumBehind + 1 : 0;
    at++;
  }
  pieces.push(text.slice(start));
  return pieces;
}

function isSafePoint(text: string, at: number, alnumBehind: number): boolean {
  const code = text.charCodeAt(at - 1);
  if (code === 10 || code === 9 || (code === 32 && isLower(text.charCodeAt(at - 2)))) return true;
  if (alnumBehind < RUN_BEHIND) return false;
  for (let ahead = at; ahead < at + RUN_AHEAD; ahead++) if (!isAlnum(text.charCodeAt(ahead))) return false;
  return true;
}

/** How many letters and digits run right before `at` (counted up to RUN_BEHIND). */
function alnumRunBefore(text: string, at: number): number {
  let count = 0;
  while (count < RUN_BEHIND && at - count > 0 && isAlnum(text.charCodeAt(at - count - 1))) count++;
  return count;
}
