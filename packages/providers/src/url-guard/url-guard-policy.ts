import { lookup as dnsLookup } from "node:dns/promises";
import { ALLOWABLE_ADDRESS_CATEGORIES, classifyAddress } from "./classify-address.js";
import { METADATA_HOSTNAMES, normalizeHostname } from "./check-hostname.js";

/** One resolved address, as `dns.lookup(host, {all: true})` returns it. */
export interface ResolvedAddress {
  readonly address: string;
  /** 4 or 6. */
  readonly family: number;
}

/** Resolves a hostname to every address it has. Injected by tests so they need no DNS. */
export type UrlGuardLookup = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/** Options shared by the store-time and connect-time checks. */
export interface UrlGuardOptions {
  /**
   * Exact hostnames (or IP literals) an operator allows to be private, e.g.
   * `["vllm.corp.example", "10.0.0.5"]` for a self-hosted model server. No
   * wildcards, no suffix matching. Lifts loopback, private, CGNAT,
   * link-local, ULA and site-local refusals for that host only; metadata,
   * multicast, broadcast, unspecified and reserved stay refused. Mirrors the
   * env variable `PROVIDER_ALLOW_PRIVATE_HOSTS` (see `parseAllowPrivateHosts`).
   */
  allowPrivateHosts?: readonly string[];
  /** Whether plain `http:` is accepted besides `https:`. Default true (a self-hosted upstream often has no TLS). */
  allowHttp?: boolean;
  /** Most characters in a URL. Default 2048. */
  maxUrlLength?: number;
  /** DNS resolution used at connect time. Default `dns.lookup(host, {all: true})`. */
  lookup?: UrlGuardLookup;
  /** Most time a DNS resolution may take, ms. Default 5000. */
  lookupTimeoutMs?: number;
}

/** Defaults of UrlGuardOptions (as named; ms and characters). */
export const DEFAULT_URL_GUARD_OPTIONS = Object.freeze({
  allowHttp: true,
  maxUrlLength: 2048,
  lookupTimeoutMs: 5_000,
});

/** Most entries in `allowPrivateHosts`: it names a few hosts, it is not a network policy. */
export const MAX_ALLOW_PRIVATE_HOSTS = 256;

/** The env variable operators set to allow named private hosts (comma-separated). */
export const ALLOW_PRIVATE_HOSTS_ENV = "PROVIDER_ALLOW_PRIVATE_HOSTS";

/** UrlGuardOptions validated and normalized once. */
export interface UrlGuardPolicy {
  readonly allowPrivateHosts: ReadonlySet<string>;
  readonly allowHttp: boolean;
  readonly maxUrlLength: number;
  readonly lookup: UrlGuardLookup;
  readonly lookupTimeoutMs: number;
}

/**
 * Validates options (throws RangeError naming the bad setting: a
 * configuration bug, not bad input) and normalizes the allowed hosts the way
 * URLs are normalized, so `API.Corp.Example.` matches `api.corp.example`.
 */
export function createUrlGuardPolicy(options: UrlGuardOptions = {}): UrlGuardPolicy {
  const maxUrlLength = options.maxUrlLength ?? DEFAULT_URL_GUARD_OPTIONS.maxUrlLength;
  const lookupTimeoutMs = options.lookupTimeoutMs ?? DEFAULT_URL_GUARD_OPTIONS.lookupTimeoutMs;
  for (const [name, value] of Object.entries({ maxUrlLength, lookupTimeoutMs })) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`url-guard option ${name} must be a positive integer, got ${String(value)}`);
    }
  }
  const policy: UrlGuardPolicy = Object.freeze({
    allowPrivateHosts: normalizeAllowedHosts(options.allowPrivateHosts ?? [], "allowPrivateHosts"),
    allowHttp: options.allowHttp ?? DEFAULT_URL_GUARD_OPTIONS.allowHttp,
    maxUrlLength,
    lookup: options.lookup ?? defaultLookup,
    lookupTimeoutMs,
  });
  POLICIES.add(policy);
  return policy;
}

/** The policy itself, or one created from options (so hot paths can pass a prebuilt policy). */
export function toUrlGuardPolicy(options: UrlGuardOptions | UrlGuardPolicy): UrlGuardPolicy {
  return isUrlGuardPolicy(options) ? options : createUrlGuardPolicy(options);
}

function isUrlGuardPolicy(options: UrlGuardOptions | UrlGuardPolicy): options is UrlGuardPolicy {
  return POLICIES.has(options);
}

/** Policies made by createUrlGuardPolicy; a look-alike object is treated as options and validated. */
const POLICIES = new WeakSet<object>();

/**
 * Parses `PROVIDER_ALLOW_PRIVATE_HOSTS` (comma-separated exact hostnames,
 * blanks ignored) into a list for `allowPrivateHosts`, failing fast with the
 * variable's name on an entry that is not a plain hostname or IP literal, or
 * that names a metadata service.
 */
export function parseAllowPrivateHosts(raw: string | undefined, variableName = ALLOW_PRIVATE_HOSTS_ENV): string[] {
  if (raw === undefined) return [];
  const entries = raw
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  return [...normalizeAllowedHosts(entries, variableName)];
}

function normalizeAllowedHosts(entries: readonly string[], settingName: string): ReadonlySet<string> {
  if (entries.length > MAX_ALLOW_PRIVATE_HOSTS) {
    throw new RangeError(`${settingName} may name at most ${MAX_ALLOW_PRIVATE_HOSTS} hosts, got ${entries.length}`);
  }
  const hosts = new Set<string>();
  for (const entry of entries) {
    const hostname = typeof entry === "string" && !entry.includes("*") ? normalizeHostname(entry) : undefined;
    if (hostname === undefined) {
      throw new RangeError(`${settingName} entry "${String(entry)}" is not an exact hostname or IP address`);
    }
    const category = classifyAddress(hostname);
    const neverAllowed = category !== undefined && category !== "public" && !ALLOWABLE_ADDRESS_CATEGORIES.has(category);
    if (METADATA_HOSTNAMES.has(hostname) || neverAllowed) {
      throw new RangeError(`${settingName} entry "${entry}" can never be allowed (${category ?? "metadata"})`);
    }
    hosts.add(hostname);
  }
  return hosts;
}

async function defaultLookup(hostname: string): Promise<readonly ResolvedAddress[]> {
  return dnsLookup(hostname, { all: true });
}
