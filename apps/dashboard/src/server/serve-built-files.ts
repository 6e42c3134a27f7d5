import type { IncomingMessage, ServerResponse } from "node:http";
import type { BuiltFile } from "./built-files.js";

/**
 * Sent with every page and file: the bundle's own scripts and styles only
 * (no inline code, nothing from other origins), calls to this origin only,
 * never framed (clickjacking of the payout buttons), no referrer leaking the
 * console's URLs.
 */
const SECURITY_HEADERS = {
  "content-security-policy": [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; "),
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cross-origin-opener-policy": "same-origin",
} as const;

const IMMUTABLE = "public, max-age=31536000, immutable";
/** index.html and other unhashed files: cached, but checked with the server (ETag) before each use. */
const REVALIDATE = "no-cache";

/**
 * A production build's files: a file by its path; any other path that looks
 * like a page (no file extension) is the single-page app's index.html, so
 * that a bookmarked /developer/usage?from=… loads and the router takes it
 * from there. A missing asset is a real 404, never the HTML page.
 */
export function serveBuiltFiles(files: Map<string, BuiltFile>, request: IncomingMessage, response: ServerResponse) {
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.writeHead(405, { allow: "GET, HEAD", ...SECURITY_HEADERS }).end();
    return;
  }
  const path = pathOf(request.url);
  // A page path has no file extension and no dot-named part (those are files, e.g. the build stamp).
  const looksLikePage = path !== undefined && !path.startsWith("/assets/") && !/\.[a-z0-9]+$|\/\./i.test(path);
  const file =
    path === undefined ? undefined : (files.get(path) ?? (looksLikePage ? files.get("/index.html") : undefined));
  if (!file) {
    response.writeHead(404, { "content-type": "text/plain; charset=utf-8", ...SECURITY_HEADERS }).end("Not found\n");
    return;
  }
  const gzip = file.gzipped !== undefined && /\bgzip\b/.test(String(request.headers["accept-encoding"] ?? ""));
  const headers: Record<string, string> = {
    "content-type": file.contentType,
    "cache-control": file.immutable ? IMMUTABLE : REVALIDATE,
    etag: file.etag,
    ...(file.gzipped ? { vary: "accept-encoding" } : {}),
    ...SECURITY_HEADERS,
  };
  if (request.headers["if-none-match"] === file.etag) {
    response.writeHead(304, headers).end();
    return;
  }
  const body = gzip ? file.gzipped! : file.body;
  if (gzip) headers["content-encoding"] = "gzip";
  headers["content-length"] = String(body.length);
  response.writeHead(200, headers).end(request.method === "HEAD" ? undefined : body);
}

/** The decoded path of a request URL; undefined when it does not decode (a malformed %-escape). */
function pathOf(url: string | undefined): string | undefined {
  try {
    return decodeURIComponent(new URL(url ?? "/", "http://dashboard").pathname);
  } catch {
    return undefined;
  }
}

/** What a page request gets while the build is not there: the build failed (see the log). */
export function sendBuildFailed(response: ServerResponse): void {
  response
    .writeHead(503, { "content-type": "text/plain; charset=utf-8", "retry-after": "10", ...SECURITY_HEADERS })
    .end("The dashboard could not be built; the server's log says why.\n");
}
