import { codeAt, isAlnum, isDigit, isHexDigit } from "./char-classes.js";
import type { PiiSpan } from "./pii-span.js";

const DOT = 46;
const COLON = 58;
/** The longest IPv6 text: eight groups of four, or six and an IPv4 address. */
const MAX_IPV6_LENGTH = 45;

/**
 * IPv4 addresses (`203.0.113.7`): four decimal octets of at most 255,
 * standing apart from letters, digits and further dotted numbers
 * (`1.2.3.4.5` is a version, not an address).
 *
 * Looks for an address starting at `start` and pushes it onto `found`;
 * answers where to look next (after `start`). Called in text order at least
 * at every digit that starts a run of digits (the only places an address
 * starts; anywhere else it answers `start + 1`), as PiiScan does.
 */
export function findIpv4At(text: string, start: number, found: PiiSpan[]): number {
  if (!isDigit(codeAt(text, start))) return start + 1;
  const before = codeAt(text, start - 1);
  if (isAlnum(before) || before === DOT) return start + 1;
  const end = readIpv4(text, start);
  if (end === undefined) return start + 1;
  const after = codeAt(text, end);
  if (isAlnum(after) || (after === DOT && isDigit(codeAt(text, end + 1)))) return start + 1;
  found.push({ start, end, label: "IP" });
  return end;
}

/** The end of a dotted quad starting at `start`, or undefined. */
function readIpv4(text: string, start: number): number | undefined {
  let cursor = start;
  for (let octet = 0; octet < 4; octet++) {
    if (octet > 0) {
      if (codeAt(text, cursor) !== DOT) return undefined;
      cursor++;
    }
    let value = 0;
    const octetStart = cursor;
    while (isDigit(codeAt(text, cursor)) && cursor - octetStart < 3)
      value = value * 10 + (text.charCodeAt(cursor++) - 48);
    if (cursor === octetStart || value > 255 || isDigit(codeAt(text, cursor))) return undefined;
  }
  return cursor;
}

const isIpv6Char = (code: number) => isHexDigit(code) || code === COLON || code === DOT;

/**
 * IPv6 addresses (`2001:db8::1`, `::ffff:192.0.2.1`): a run of hex digits,
 * colons and dots, standing apart from letters and digits, that parses as
 * an address and holds a decimal digit (so `dead::beef`, an identifier more
 * likely than an address, is left alone).
 *
 * Pushes onto `found` the addresses that start from `from` up to `stop`;
 * answers where to go on from (at or after `stop`). Goes straight from one
 * colon to the next: an address holds two within its first 46 characters.
 */
export function findIpv6From(text: string, from: number, stop: number, found: PiiSpan[]): number {
  let start = from;
  while (start < stop) {
    const colon = text.indexOf(":", start);
    if (colon === -1) return Math.max(stop, text.length);
    // Nothing starting more than an address's length before the next colon can be one.
    start = Math.max(start, colon - MAX_IPV6_LENGTH);
    if (start >= stop) return start;
    start = ipv6At(text, start, found);
  }
  return start;
}

/** Looks for an address starting at `start`, pushes it onto `found`; answers where to look next. */
function ipv6At(text: string, start: number, found: PiiSpan[]): number {
  const before = codeAt(text, start - 1);
  if (!isIpv6Char(text.charCodeAt(start)) || isAlnum(before) || before === COLON) return start + 1;
  // Read no further than an address can run: a longer run is no address from here, but one may start later in it.
  let end = start;
  let colons = 0;
  let decimal = false;
  for (let code = codeAt(text, end); isIpv6Char(code) && end - start <= MAX_IPV6_LENGTH; code = codeAt(text, ++end)) {
    if (code === COLON) colons++;
    else if (isDigit(code)) decimal = true;
  }
  // A trailing dot ends a sentence, not the address.
  let trimmed = end;
  while (trimmed > start && codeAt(text, trimmed - 1) === DOT) trimmed--;
  if (
    colons >= 2 &&
    decimal &&
    trimmed - start <= MAX_IPV6_LENGTH &&
    !isIpv6Char(codeAt(text, end)) &&
    !isAlnum(codeAt(text, end)) &&
    isIpv6(text.slice(start, trimmed))
  ) {
    found.push({ start, end: trimmed, label: "IP" });
    return end;
  }
  return start + 1;
}

/** RFC 4291's text forms: eight groups of 1–4 hex digits, one `::` for a run of zeros, an IPv4 tail. */
function isIpv6(candidate: string): boolean {
  const halves = candidate.split("::");
  if (halves.length > 2) return false;
  const groupsOf = (half: string) => (half === "" ? [] : half.split(":"));
  const head = groupsOf(halves[0]!);
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : [];
  const all = [...head, ...tail];
  let count = all.length;
  const last = all[all.length - 1];
  if (last !== undefined && last.includes(".")) {
    if (readIpv4(last, 0) !== last.length) return false;
    all.pop();
    count += 1; // an IPv4 tail stands for two groups
  }
  if (
    !all.every(
      (group) => group.length >= 1 && group.length <= 4 && [...group].every((c) => isHexDigit(c.charCodeAt(0))),
    )
  )
    return false;
  return halves.length === 2 ? count <= 7 : count === 8;
}
