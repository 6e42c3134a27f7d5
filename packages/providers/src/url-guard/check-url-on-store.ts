import { checkHostname } from "./check-hostname.js";
import { toUrlGuardPolicy, type UrlGuardOptions, type UrlGuardPolicy } from "./url-guard-policy.js";
import type { UrlGuardReason, UrlGuardRefusal } from "./url-guard-reason.js";

/** A URL that passed the store-time check. */
export interface UrlAccepted {
  readonly ok: true;
  /** The WHATWG-normalized URL: store this, not the input. */
  readonly url: string;
  /** Normalized hostname (lowercase, punycode, no brackets, no trailing dot). */
  readonly hostname: string;
}

export type UrlCheckResult = UrlAccepted | UrlGuardRefusal;

/**
 * Checks a URL before it is stored (a BYOK `base_url`, a webhook target),
 * without DNS: scheme (https, and http unless `allowHttp: false`), no
 * userinfo, a real port, and a host that is neither a blocked IP literal
 * (whatever numeric spelling the URL parser normalized) nor a private,
 * loopback or metadata name. Names that pass may still resolve to a blocked
 * address: `createGuardedConnector` checks that on every connection.
 *
 * Never throws for bad input (including non-strings); throws RangeError only
 * for invalid options, which is a configuration bug.
 */
export function checkUrlOnStore(url: string, options: UrlGuardOptions | UrlGuardPolicy = {}): UrlCheckResult {
  const policy = toUrlGuardPolicy(options);
  if (typeof url !== "string") return refuse("invalid_url", "The URL must be a string.");
  if (url.length > policy.maxUrlLength) {
    return refuse("url_too_long", `The URL is longer than ${policy.maxUrlLength} characters.`);
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return refuse("invalid_url", "The URL is not a valid absolute URL.");
  }
  if (parsed.protocol === "http:" && !policy.allowHttp) return refuse("http_not_allowed", "The URL must use https.");
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    return refuse("unsupported_protocol", "The URL must use https or http.");
  }
  if (parsed.username !== "" || parsed.password !== "") {
    return refuse("credentials_in_url", "The URL must not contain a user name or password.");
  }
  if (parsed.port === "0") return refuse("invalid_port", "The URL's port must be between 1 and 65535.");
  const verdict = checkHostname(parsed.hostname, policy.allowPrivateHosts);
  if (!verdict.ok) return verdict;
  return { ok: true, url: parsed.href, hostname: verdict.hostname };
}

function refuse(reason: UrlGuardReason, message: string): UrlGuardRefusal {
  return { ok: false, reason, message };
}
