import { isIP } from "node:net";
import { ALLOWABLE_ADDRESS_CATEGORIES, classifyAddress, type BlockedAddressCategory } from "./classify-address.js";
import { parseIPv4 } from "./ip-address.js";

/** Most characters in a hostname (RFC 1035: 253 plus a trailing dot). */
export const MAX_HOSTNAME_LENGTH = 254;

/**
 * Names of instance-metadata services. Never allowed, not even through
 * `allowPrivateHosts`: a key-validation call or webhook reaching one of them
 * would hand out the platform's cloud credentials.
 */
export const METADATA_HOSTNAMES: ReadonlySet<string> = new Set([
  "metadata",
  "metadata.google.internal",
  "metadata.goog",
  "instance-data",
  "instance-data.ec2.internal",
  "metadata.tencentyun.com",
  "metadata.azure.internal",
]);

/** Names that mean "this machine" on common systems (/etc/hosts defaults). */
const LOOPBACK_HOSTNAMES: ReadonlySet<string> = new Set([
  "localhost",
  "localhost.localdomain",
  "ip6-localhost",
  "ip6-loopback",
  "localhost6",
  "localhost6.localdomain6",
]);

/**
 * Suffixes that never name a public Internet host: special-use names
 * (RFC 6761, 6762, 8375, `.internal` reserved by ICANN in 2024), reverse-DNS
 * zones, Kubernetes service names, and TLDs ICANN will not delegate
 * (`corp`, `home`, `mail`) or that LANs conventionally use.
 */
const PRIVATE_SUFFIXES: readonly string[] = [
  "localhost",
  "local",
  "internal",
  "localdomain",
  "arpa",
  "lan",
  "intranet",
  "corp",
  "home",
  "mail",
  "private",
  "svc",
];

/**
 * Public wildcard-DNS services whose names resolve to an address written in
 * the name (`127.0.0.1.nip.io`, `anything.localtest.me` → 127.0.0.1). Blocked
 * on store as a courtesy; the connect-time DNS check is what actually holds.
 */
const REBINDING_DOMAINS: readonly string[] = [
  "nip.io",
  "sslip.io",
  "xip.io",
  "nip.direct",
  "traefik.me",
  "localtest.me",
  "lvh.me",
  "vcap.me",
  "lacolhost.com",
  "localhost.direct",
];

/** Why a hostname was refused. */
export type HostnameVerdict =
  | { readonly ok: true; readonly hostname: string; readonly literal: boolean }
  | { readonly ok: false; readonly reason: "invalid_hostname"; readonly message: string }
  | { readonly ok: false; readonly reason: "blocked_hostname"; readonly message: string }
  | {
      readonly ok: false;
      readonly reason: "blocked_address";
      readonly category: BlockedAddressCategory;
      readonly message: string;
    };

/**
 * The canonical form of a hostname, as the WHATWG URL parser would print it
 * (lowercase, punycode, IPv4 numeric forms normalized), without IPv6
 * brackets and without trailing dots. `undefined` when it is not a valid host.
 */
export function normalizeHostname(input: string): string | undefined {
  if (input.length === 0 || input.length > MAX_HOSTNAME_LENGTH + 2) return undefined;
  const first = parseHost(input);
  if (first === undefined || isIP(first) !== 0) return first;
  // "0x7f.1.." stays a name for the URL parser; without its trailing dots it
  // is 127.0.0.1 again, which is what a resolver would make of it.
  const trimmed = first.replace(/\.+$/, "");
  if (trimmed === first) return first;
  const second = parseHost(trimmed);
  return second === undefined ? undefined : second.replace(/\.+$/, "");
}

/** The URL parser's hostname for a bare host, brackets removed; `undefined` unless it is only a host. */
function parseHost(input: string): string | undefined {
  const bare = input.startsWith("[") && input.endsWith("]") ? input.slice(1, -1) : input;
  const forUrl = isIP(bare) === 6 ? `[${bare}]` : bare;
  if (/[/?#@\\]/.test(forUrl) || (isIP(bare) !== 6 && bare.includes(":"))) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(`http://${forUrl}/`);
  } catch {
    return undefined;
  }
  // Anything beyond a bare host (userinfo, port, path) means the input was not a hostname.
  if (parsed.username !== "" || parsed.password !== "" || parsed.port !== "" || parsed.pathname !== "/") {
    return undefined;
  }
  const host = parsed.hostname.startsWith("[") ? parsed.hostname.slice(1, -1) : parsed.hostname;
  if (host.length === 0 || host.length > MAX_HOSTNAME_LENGTH) return undefined;
  return host;
}

/**
 * Checks a hostname without DNS: its form, the name rules (loopback and
 * metadata names, private suffixes, single labels, wildcard-DNS services,
 * IPv4 addresses spelled inside names) and, for IP literals, the address.
 * An exact entry of `allowPrivateHosts` skips the name rules and may use an
 * allowable private category, never metadata.
 */
export function checkHostname(input: string, allowPrivateHosts: ReadonlySet<string>): HostnameVerdict {
  const hostname = normalizeHostname(input);
  if (hostname === undefined) {
    return { ok: false, reason: "invalid_hostname", message: "The URL's host is not a valid hostname." };
  }
  const allowed = allowPrivateHosts.has(hostname);
  const category = classifyAddress(hostname);
  if (category !== undefined) {
    if (category === "public" || (allowed && ALLOWABLE_ADDRESS_CATEGORIES.has(category))) {
      return { ok: true, hostname, literal: true };
    }
    return blockedAddress(category);
  }
  if (METADATA_HOSTNAMES.has(hostname)) return blockedName("a cloud metadata service");
  if (allowed) return { ok: true, hostname, literal: false };
  return checkName(hostname);
}

function checkName(hostname: string): HostnameVerdict {
  const labels = hostname.split(".");
  if (labels.some((label) => label.length === 0 || label.length > 63)) {
    return { ok: false, reason: "invalid_hostname", message: "The URL's host is not a valid hostname." };
  }
  if (LOOPBACK_HOSTNAMES.has(hostname)) return blockedName("this machine");
  if (labels.length === 1) return blockedName("a single-label (intranet) name");
  const tld = labels.at(-1) ?? "";
  if (PRIVATE_SUFFIXES.includes(tld)) return blockedName(`a private-use name (.${tld})`);
  if (hasSuffix(hostname, "home.arpa") || REBINDING_DOMAINS.some((domain) => hasSuffix(hostname, domain))) {
    return blockedName("a wildcard-DNS service that resolves to private addresses");
  }
  const spelled = spelledIPv4(labels);
  if (spelled !== undefined) {
    const category = classifyAddress(spelled);
    if (category !== undefined && category !== "public") return blockedAddress(category);
  }
  return { ok: true, hostname, literal: false };
}

/**
 * An IPv4 address written inside a name, as wildcard-DNS services read it:
 * four consecutive decimal labels (`10.0.0.1.example.com`) or a dashed quad
 * inside one label (`app-127-0-0-1.example.com`). Only blocked ones matter.
 */
function spelledIPv4(labels: readonly string[]): string | undefined {
  for (let index = 0; index + 4 <= labels.length; index += 1) {
    const quad = labels.slice(index, index + 4).join(".");
    if (parseIPv4(quad) !== undefined) return quad;
  }
  for (const label of labels) {
    const match = /(?:^|[^0-9])(\d{1,3})-(\d{1,3})-(\d{1,3})-(\d{1,3})(?:$|[^0-9])/.exec(label);
    if (match !== null) {
      const quad = match.slice(1, 5).join(".");
      if (parseIPv4(quad) !== undefined) return quad;
    }
  }
  return undefined;
}

function hasSuffix(hostname: string, domain: string): boolean {
  return hostname === domain || hostname.endsWith(`.${domain}`);
}

function blockedName(what: string): HostnameVerdict {
  return { ok: false, reason: "blocked_hostname", message: `The URL's host names ${what}.` };
}

function blockedAddress(category: BlockedAddressCategory): HostnameVerdict {
  return {
    ok: false,
    reason: "blocked_address",
    category,
    message: `The URL's host is a blocked address (${category}); the cloud side never connects there.`,
  };
}
