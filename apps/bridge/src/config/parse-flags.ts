import { isUpstreamKind, UPSTREAM_KINDS, type UpstreamTarget } from "../upstreams/upstream-kinds.js";

// Parsers of the command-line values, each throwing a message that names what
// was expected. Kept free of the CLI library so the library entry shares them.

/** A port: an integer 0–65535 (0 picks a free one). */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) throw new Error(`expected a port (0-65535), got ${JSON.stringify(value)}`);
  return port;
}

/**
 * An http(s) URL without credentials, query or fragment: what the bridge
 * calls, and what it may print (diagnostics show it).
 */
export function parseHttpUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`expected an http(s) URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`expected an http(s) URL, got ${JSON.stringify(value)}`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new Error(`expected a URL without credentials, query or fragment, got ${JSON.stringify(url.origin)}`);
  }
  return url;
}

/** `--upstream KIND=URL`: a local server of KIND at URL instead of its default port. */
export function parseUpstreamFlag(value: string): UpstreamTarget {
  const equals = value.indexOf("=");
  const kind = equals === -1 ? value : value.slice(0, equals);
  if (equals === -1 || !isUpstreamKind(kind)) {
    throw new Error(`expected KIND=URL with KIND one of ${UPSTREAM_KINDS.join(", ")}, got ${JSON.stringify(value)}`);
  }
  return { kind, url: parseHttpUrl(value.slice(equals + 1)) };
}

/**
 * `--allow-origin URL`: one browser origin, exactly as browsers send it
 * (`https://app.example.com`, `http://localhost:5173`). `*` and `null` are
 * refused: any page on the web, or a sandboxed one, could then use the
 * user's models and tickets.
 */
export function parseOriginFlag(value: string): string {
  if (value === "*" || value === "null") throw new Error(`--allow-origin takes one origin, never ${value}`);
  const url = parseHttpUrl(value);
  if (url.pathname !== "/") throw new Error(`expected an origin (scheme://host[:port]), got ${JSON.stringify(value)}`);
  return url.origin;
}
