import { formatIPv4, parseIPv4, parseIPv6 } from "./ip-address.js";

/**
 * Why an address is refused. `public` is the only category the cloud side
 * may connect to without an operator's explicit allowance.
 */
export const BLOCKED_ADDRESS_CATEGORIES = [
  "unspecified",
  "loopback",
  "private",
  "shared_address",
  "link_local",
  "metadata",
  "multicast",
  "broadcast",
  "reserved",
  "documentation",
  "benchmarking",
  "unique_local",
  "site_local",
] as const;

export type BlockedAddressCategory = (typeof BLOCKED_ADDRESS_CATEGORIES)[number];
export type AddressCategory = "public" | BlockedAddressCategory;

/**
 * Categories an operator may lift for an exact host named in
 * `allowPrivateHosts` (a self-hosted vLLM on 10.0.0.5, an Ollama box on the
 * LAN). Metadata, unspecified, multicast, broadcast and reserved addresses
 * stay blocked whatever the configuration: no legitimate upstream lives there.
 */
export const ALLOWABLE_ADDRESS_CATEGORIES: ReadonlySet<AddressCategory> = new Set<AddressCategory>([
  "loopback",
  "private",
  "shared_address",
  "link_local",
  "unique_local",
  "site_local",
  "benchmarking",
  "documentation",
]);

interface Ipv4Range {
  readonly cidr: string;
  readonly category: BlockedAddressCategory;
}

/**
 * Blocked IPv4 ranges, most specific first (the first match names the
 * category). Sources: RFC 6890 special-purpose registry, RFC 6598 (CGNAT),
 * and the cloud providers' instance-metadata endpoints.
 */
export const BLOCKED_IPV4_RANGES: readonly Ipv4Range[] = [
  { cidr: "169.254.169.254/32", category: "metadata" }, // AWS, GCP, Azure, OCI, DigitalOcean, OpenStack IMDS
  { cidr: "169.254.170.2/32", category: "metadata" }, // AWS ECS task credentials
  { cidr: "169.254.170.23/32", category: "metadata" }, // AWS EKS pod identity
  { cidr: "100.100.100.200/32", category: "metadata" }, // Alibaba Cloud
  { cidr: "168.63.129.16/32", category: "metadata" }, // Azure WireServer (a public-looking virtual IP)
  { cidr: "192.0.0.192/32", category: "metadata" }, // Oracle Cloud (legacy)
  { cidr: "255.255.255.255/32", category: "broadcast" },
  { cidr: "0.0.0.0/8", category: "unspecified" }, // "this network"; 0.0.0.0 reaches localhost on Linux
  { cidr: "10.0.0.0/8", category: "private" },
  { cidr: "100.64.0.0/10", category: "shared_address" }, // carrier-grade NAT
  { cidr: "127.0.0.0/8", category: "loopback" },
  { cidr: "169.254.0.0/16", category: "link_local" },
  { cidr: "172.16.0.0/12", category: "private" },
  { cidr: "192.0.0.0/24", category: "reserved" }, // IETF protocol assignments
  { cidr: "192.0.2.0/24", category: "documentation" },
  { cidr: "192.88.99.0/24", category: "reserved" }, // deprecated 6to4 relay anycast
  { cidr: "192.168.0.0/16", category: "private" },
  { cidr: "198.18.0.0/15", category: "benchmarking" },
  { cidr: "198.51.100.0/24", category: "documentation" },
  { cidr: "203.0.113.0/24", category: "documentation" },
  { cidr: "224.0.0.0/4", category: "multicast" },
  { cidr: "240.0.0.0/4", category: "reserved" }, // includes 255.255.255.255, matched above
];

interface Ipv6Range {
  readonly cidr: string;
  readonly category: BlockedAddressCategory;
}

/**
 * Blocked native IPv6 ranges, most specific first. Prefixes that embed an
 * IPv4 address (mapped, compatible, translated, NAT64, 6to4) are handled in
 * `classifyIPv6` before this table, by classifying the embedded address.
 * Everything outside 2000::/3 (global unicast) is refused afterwards anyway.
 */
export const BLOCKED_IPV6_RANGES: readonly Ipv6Range[] = [
  { cidr: "fd00:ec2::254/128", category: "metadata" }, // AWS IMDS over IPv6
  { cidr: "::/128", category: "unspecified" },
  { cidr: "::1/128", category: "loopback" },
  { cidr: "64:ff9b:1::/48", category: "private" }, // local-use NAT64 (RFC 8215)
  { cidr: "100::/64", category: "reserved" }, // discard-only
  { cidr: "2001::/32", category: "reserved" }, // Teredo: embeds (obfuscated) IPv4 endpoints
  { cidr: "2001:2::/48", category: "benchmarking" },
  { cidr: "2001:10::/28", category: "reserved" }, // ORCHID
  { cidr: "2001:20::/28", category: "reserved" }, // ORCHIDv2
  { cidr: "2001:db8::/32", category: "documentation" },
  { cidr: "3fff::/20", category: "documentation" },
  { cidr: "fc00::/7", category: "unique_local" },
  { cidr: "fe80::/10", category: "link_local" },
  { cidr: "fec0::/10", category: "site_local" },
  { cidr: "ff00::/8", category: "multicast" },
];

interface CompiledRange<T extends number | bigint> {
  readonly base: T;
  readonly mask: T;
  readonly category: BlockedAddressCategory;
}

const IPV4_TABLE: readonly CompiledRange<number>[] = BLOCKED_IPV4_RANGES.map(({ cidr, category }) => {
  const [address = "", bits = ""] = cidr.split("/");
  const prefix = Number(bits);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return { base: (mustParse(parseIPv4(address), cidr) & mask) >>> 0, mask, category };
});

const IPV6_ALL_ONES = (1n << 128n) - 1n;

const IPV6_TABLE: readonly CompiledRange<bigint>[] = BLOCKED_IPV6_RANGES.map(({ cidr, category }) => {
  const [address = "", bits = ""] = cidr.split("/");
  const mask = ipv6Mask(Number(bits));
  return { base: mustParse(parseIPv6(address), cidr) & mask, mask, category };
});

const MAPPED_PREFIX = 0xffffn << 32n; // ::ffff:0:0/96
const TRANSLATED_PREFIX = 0xffffn << 48n; // ::ffff:0:0:0/96 (RFC 2765 SIIT)
const NAT64_PREFIX = 0x0064ff9bn << 96n; // 64:ff9b::/96 (RFC 6052)
const SIX_TO_FOUR_PREFIX = 0x2002n; // 2002::/16, IPv4 in bits 16..47
const MASK_96 = ipv6Mask(96);
const LOW_32 = 0xffffffffn;

/**
 * The category of an IP address literal, or `undefined` when `text` is not
 * an IP address. Accepts IPv6 with or without brackets and zone id.
 */
export function classifyAddress(text: string): AddressCategory | undefined {
  const v4 = parseIPv4(text);
  if (v4 !== undefined) return classifyIPv4(v4);
  const v6 = parseIPv6(text);
  if (v6 !== undefined) return classifyIPv6(v6);
  return undefined;
}

/** True only for an IP literal in no blocked range. Fails closed: non-IP input is not public. */
export function isPublicAddress(text: string): boolean {
  return classifyAddress(text) === "public";
}

export function classifyIPv4(value: number): AddressCategory {
  for (const range of IPV4_TABLE) {
    if ((value & range.mask) >>> 0 === range.base) return range.category;
  }
  return "public";
}

export function classifyIPv6(value: bigint): AddressCategory {
  const embedded = embeddedIPv4(value);
  if (embedded !== undefined) {
    const category = classifyIPv4(embedded.address);
    if (category !== "public" || embedded.routable) return category;
    return "reserved";
  }
  for (const range of IPV6_TABLE) {
    if ((value & range.mask) === range.base) return range.category;
  }
  // Only 2000::/3 is global unicast; anything else is unassigned or special.
  if (value >> 125n !== 1n) return "reserved";
  return "public";
}

interface EmbeddedIPv4 {
  readonly address: number;
  /** Whether a public embedded address makes the IPv6 address usable (NAT64, mapped, 6to4). */
  readonly routable: boolean;
}

/**
 * The IPv4 address an IPv6 address stands for, where the OS or the network
 * would actually deliver packets to that IPv4 host (or where the form is a
 * known trick to smuggle one past a filter).
 */
function embeddedIPv4(value: bigint): EmbeddedIPv4 | undefined {
  const low = Number(value & LOW_32);
  const prefix96 = value & MASK_96;
  if (prefix96 === MAPPED_PREFIX) return { address: low, routable: true };
  if (prefix96 === NAT64_PREFIX) return { address: low, routable: true };
  if (prefix96 === TRANSLATED_PREFIX) return { address: low, routable: false };
  // ::a.b.c.d (deprecated IPv4-compatible); :: and ::1 are left to the table.
  if (prefix96 === 0n && value > 1n) return { address: low, routable: false };
  if (value >> 112n === SIX_TO_FOUR_PREFIX) return { address: Number((value >> 80n) & LOW_32), routable: true };
  return undefined;
}

/** The dotted-quad form of the IPv4 address embedded in an IPv6 literal, if any (for messages). */
export function describeEmbeddedIPv4(text: string): string | undefined {
  const v6 = parseIPv6(text);
  if (v6 === undefined) return undefined;
  const embedded = embeddedIPv4(v6);
  return embedded === undefined ? undefined : formatIPv4(embedded.address);
}

function ipv6Mask(prefix: number): bigint {
  return prefix === 0 ? 0n : (IPV6_ALL_ONES << BigInt(128 - prefix)) & IPV6_ALL_ONES;
}

function mustParse<T>(value: T | undefined, cidr: string): T {
  if (value === undefined) throw new Error(`url-guard: invalid built-in range ${cidr}`);
  return value;
}
