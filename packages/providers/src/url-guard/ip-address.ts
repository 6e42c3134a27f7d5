import { isIPv4, isIPv6 } from "node:net";

/**
 * Parses a canonical dotted-quad IPv4 address (as printed by the WHATWG URL
 * parser or returned by `dns.lookup`) into an unsigned 32-bit integer.
 * Numeric tricks (`0x7f.1`, `2130706433`) are not accepted here on purpose:
 * the URL parser has already normalized them, and `dns.lookup` never returns them.
 */
export function parseIPv4(text: string): number | undefined {
  if (!isIPv4(text)) return undefined;
  let value = 0;
  for (const part of text.split(".")) value = value * 256 + Number(part);
  return value;
}

/** Formats an unsigned 32-bit integer as a dotted-quad IPv4 address. */
export function formatIPv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff].join(".");
}

/**
 * Parses an IPv6 address (compressed or not, with or without an embedded
 * dotted-quad tail, with or without brackets or a `%zone` suffix) into a
 * 128-bit unsigned bigint. The zone is dropped: it selects an interface, not
 * a different address, so it never changes whether the address is blocked.
 */
export function parseIPv6(text: string): bigint | undefined {
  let body = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  const zone = body.indexOf("%");
  if (zone !== -1) body = body.slice(0, zone);
  if (!isIPv6(body)) return undefined;

  const groups = expandGroups(body);
  if (groups === undefined) return undefined;
  let value = 0n;
  for (const group of groups) value = (value << 16n) | BigInt(group);
  return value;
}

/** The eight 16-bit groups of a valid IPv6 address (validated by `isIPv6` first). */
function expandGroups(body: string): number[] | undefined {
  const halves = body.split("::");
  if (halves.length > 2) return undefined;
  const head = toGroups(halves[0] ?? "");
  const tail = halves.length === 2 ? toGroups(halves[1] ?? "") : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  return [...head, ...new Array<number>(Math.max(missing, 0)).fill(0), ...tail];
}

function toGroups(part: string): number[] | undefined {
  if (part === "") return [];
  const groups: number[] = [];
  for (const piece of part.split(":")) {
    if (piece.includes(".")) {
      const v4 = parseIPv4(piece);
      if (v4 === undefined) return undefined;
      groups.push(v4 >>> 16, v4 & 0xffff);
    } else {
      if (!/^[0-9a-f]{1,4}$/i.test(piece)) return undefined;
      groups.push(Number.parseInt(piece, 16));
    }
  }
  return groups;
}
