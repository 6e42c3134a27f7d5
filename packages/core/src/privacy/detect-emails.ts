import { codeAt, isAlnum, isLetter } from "./char-classes.js";
import type { PiiSpan } from "./pii-span.js";

/** RFC 5321's limits: a local part of at most 64 characters, a domain of at most 253. */
const MAX_LOCAL = 64;
const MAX_DOMAIN = 253;

// The unquoted local-part characters people actually use; quoted local parts are not looked for.
const isLocalChar = (code: number) =>
  isAlnum(code) || code === 46 || code === 95 || code === 37 || code === 43 || code === 45; // . _ % + -
const isDomainChar = (code: number) => isAlnum(code) || code === 46 || code === 45; // . -

/**
 * Email addresses: found from each `@` by walking out over the characters an
 * address may hold (bounded by RFC 5321's lengths, so the scan is linear),
 * then kept when the domain has at least two labels and a top-level domain
 * of two letters or more.
 *
 * Pushes onto `found` the addresses that start before `stop`, reading on
 * from the `@` at or after `from`; answers where to go on from (the next
 * `@` to read). An address starts at most 64 characters before its `@`.
 */
export function findEmailsFrom(text: string, from: number, stop: number, found: PiiSpan[]): number {
  for (let at = text.indexOf("@", from); at !== -1; at = text.indexOf("@", at + 1)) {
    if (at - MAX_LOCAL >= stop) return at;
    let start = at;
    while (start > 0 && at - start < MAX_LOCAL && isLocalChar(codeAt(text, start - 1))) start--;
    while (start < at && codeAt(text, start) === 46) start++; // a local part does not start with a dot
    if (start === at) continue;
    let end = at + 1;
    while (end < text.length && end - at - 1 < MAX_DOMAIN && isDomainChar(codeAt(text, end))) end++;
    while (end > at + 1 && (codeAt(text, end - 1) === 46 || codeAt(text, end - 1) === 45)) end--;
    if (isDomain(text, at + 1, end)) found.push({ start, end, label: "EMAIL" });
  }
  return text.length;
}

/** Whether `text` from `start` to `end` (letters, digits, dots, dashes) is a domain: 2+ labels, none empty, a TLD of 2+ letters. */
function isDomain(text: string, start: number, end: number): boolean {
  let labels = 1;
  let labelStart = start;
  for (let index = start; index < end; index++) {
    if (text.charCodeAt(index) !== 46) continue;
    if (index === labelStart) return false;
    labels++;
    labelStart = index + 1;
  }
  if (labels < 2 || end - labelStart < 2) return false;
  for (let index = labelStart; index < end; index++) if (!isLetter(text.charCodeAt(index))) return false;
  return true;
}
