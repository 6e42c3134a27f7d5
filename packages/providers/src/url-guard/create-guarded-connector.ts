import { isIP } from "node:net";
import { buildConnector } from "undici";
import { resolveAndCheck } from "./resolve-and-check.js";
import { createUrlGuardPolicy, type UrlGuardOptions, type UrlGuardPolicy } from "./url-guard-policy.js";
import { UrlGuardError } from "./url-guard-error.js";

/** Options of the guarded connector: the guard's, plus the socket's. */
export interface GuardedConnectorOptions extends UrlGuardOptions {
  /** Most time to establish a TCP (+TLS) connection after DNS, ms. Default 10 000. */
  connectTimeoutMs?: number;
  /** TLS sessions cached for resumption. Default 100 (undici's default). */
  maxCachedSessions?: number;
}

/** Defaults of the socket options of GuardedConnectorOptions (ms and counts). */
export const DEFAULT_GUARDED_CONNECTOR_OPTIONS = Object.freeze({
  connectTimeoutMs: 10_000,
  maxCachedSessions: 100,
});

/**
 * An undici `connect` function (`new Pool(origin, { connect })`) that checks
 * every connection's destination at connect time:
 *
 * 1. the hostname rules of `checkUrlOnStore` (a pool may be built from a URL
 *    nobody checked on store);
 * 2. DNS resolution with `lookup` (all addresses), refusing the host when ANY
 *    address is blocked, unless it is named in `allowPrivateHosts` and the
 *    address is in an allowable category;
 * 3. a socket to the checked IP itself — never to the name, so a second DNS
 *    answer (rebinding) cannot swap the address — with the hostname kept as
 *    TLS SNI and for certificate verification.
 *
 * A refusal reaches the pool's request as a `UrlGuardError` (code
 * `ERR_URL_GUARD_BLOCKED`) before any socket exists. A resolver failure is
 * passed on as the resolver's own error (`ENOTFOUND`, `EAI_AGAIN`) so retry
 * classification stays right.
 *
 * Redirects: undici's `Pool` does not follow redirects (only the `redirect`
 * interceptor does, and we never install it); a 3xx is returned to the
 * caller as it is. A pool serves one origin, and this connector runs for
 * every connection it opens, so no request can reach an unchecked host.
 */
export function createGuardedConnector(options: GuardedConnectorOptions = {}): buildConnector.connector {
  const { connectTimeoutMs, maxCachedSessions, ...guardOptions } = options;
  const timeout = connectTimeoutMs ?? DEFAULT_GUARDED_CONNECTOR_OPTIONS.connectTimeoutMs;
  const sessions = maxCachedSessions ?? DEFAULT_GUARDED_CONNECTOR_OPTIONS.maxCachedSessions;
  if (!Number.isSafeInteger(timeout) || timeout < 1) {
    throw new RangeError(`url-guard option connectTimeoutMs must be a positive integer, got ${String(timeout)}`);
  }
  if (!Number.isSafeInteger(sessions) || sessions < 0) {
    throw new RangeError(`url-guard option maxCachedSessions must be a non-negative integer, got ${String(sessions)}`);
  }
  const policy = createUrlGuardPolicy(guardOptions);
  return guardConnector(buildConnector({ timeout, maxCachedSessions: sessions }), policy);
}

/**
 * Wraps any undici connector with the connect-time check. Exported for tests
 * (to see what reaches the inner connector); production code uses
 * `createGuardedConnector`.
 */
export function guardConnector(inner: buildConnector.connector, policy: UrlGuardPolicy): buildConnector.connector {
  return (connectOptions, callback) => {
    let called = false;
    const once: buildConnector.Callback = (...args) => {
      if (called) return;
      called = true;
      callback(...args);
    };
    void connectChecked(inner, policy, connectOptions, once).catch((error: unknown) => {
      once(error instanceof Error ? error : new Error(String(error)), null);
    });
  };
}

async function connectChecked(
  inner: buildConnector.connector,
  policy: UrlGuardPolicy,
  connectOptions: buildConnector.Options,
  callback: buildConnector.Callback,
): Promise<void> {
  const { hostname } = connectOptions;
  if (connectOptions.socketPath !== undefined && connectOptions.socketPath !== null) {
    const refusal = { ok: false, reason: "socket_path_not_allowed", message: "Unix sockets are not allowed." } as const;
    callback(new UrlGuardError(hostname, refusal), null);
    return;
  }
  const result = await resolveAndCheck(hostname, policy);
  if (!result.ok) {
    const error = result.cause instanceof Error ? result.cause : new UrlGuardError(hostname, result);
    callback(error, null);
    return;
  }
  const [first] = result.addresses;
  if (first === undefined) throw new Error("url-guard: resolveAndCheck accepted a host without addresses");
  // SNI and certificate checks use the name; an IP literal host has no SNI.
  const servername = connectOptions.servername || (isIP(result.hostname) === 0 ? result.hostname : undefined);
  inner({ ...connectOptions, hostname: first.address, ...(servername === undefined ? {} : { servername }) }, callback);
}
