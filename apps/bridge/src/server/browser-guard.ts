import type { IncomingMessage, OutgoingHttpHeaders } from "node:http";

/**
 * Request headers a page may send (the SDK and the openai client send
 * these). `x-stainless-*` are the openai client's own telemetry headers.
 */
const ALLOWED_REQUEST_HEADERS = new Set(["authorization", "content-type", "x-modelfaucet-ticket", "x-request-id"]);
const ALLOWED_HEADER_PREFIX = "x-stainless-";
/** How long a browser may cache a preflight answer, seconds. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * What a browser may do with the bridge. `Host` must name the bridge itself
 * (a loopback name or a bound address, with the port): a page on another
 * domain that rebinds its DNS name to 127.0.0.1 sends its own name and is
 * refused. Origins are matched exactly, and only listed ones get CORS
 * headers; there is no wildcard.
 */
export class BrowserGuard {
  readonly #hosts: Set<string>;
  readonly #origins: Set<string>;

  constructor(boundHosts: readonly string[], port: number, allowOrigins: readonly string[]) {
    const names = new Set(["localhost", "127.0.0.1", "[::1]", ...boundHosts.map(hostName)]);
    this.#hosts = new Set([...names].map((name) => `${name}:${port}`));
    if (port === 80) for (const name of names) this.#hosts.add(name);
    this.#origins = new Set(allowOrigins);
  }

  /** Whether the request's `Host` names the bridge. */
  hostAllowed(req: IncomingMessage): boolean {
    const host = req.headers.host?.toLowerCase();
    return host !== undefined && this.#hosts.has(host);
  }

  /** Undefined without an `Origin` (not a browser, or a same-origin GET); else whether it is listed. */
  originAllowed(req: IncomingMessage): boolean | undefined {
    const origin = req.headers.origin;
    return origin === undefined ? undefined : this.#origins.has(origin);
  }

  /** CORS headers of any answer to an allowed origin. */
  corsHeaders(origin: string): OutgoingHttpHeaders {
    return { "access-control-allow-origin": origin, "access-control-expose-headers": "x-request-id", vary: "Origin" };
  }

  /**
   * The preflight answer's headers for an allowed origin: the methods, the
   * asked-for headers we accept, and Private Network Access's permission
   * when the browser asks for it (a public page calling loopback).
   */
  preflightHeaders(req: IncomingMessage, origin: string): OutgoingHttpHeaders {
    const asked = (req.headers["access-control-request-headers"] ?? "")
      .split(",")
      .map((name) => name.trim().toLowerCase())
      .filter((name) => ALLOWED_REQUEST_HEADERS.has(name) || name.startsWith(ALLOWED_HEADER_PREFIX));
    return {
      ...this.corsHeaders(origin),
      vary: "Origin, Access-Control-Request-Headers, Access-Control-Request-Private-Network",
      "access-control-allow-methods": "GET, POST, OPTIONS",
      ...(asked.length > 0 ? { "access-control-allow-headers": asked.join(", ") } : {}),
      ...(req.headers["access-control-request-private-network"] === "true"
        ? { "access-control-allow-private-network": "true" }
        : {}),
      "access-control-max-age": String(PREFLIGHT_MAX_AGE_SECONDS),
    };
  }
}

/** A bound address as it appears in `Host`: IPv6 in brackets, lower case. */
function hostName(host: string): string {
  return (host.includes(":") ? `[${host}]` : host).toLowerCase();
}
