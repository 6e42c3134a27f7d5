import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { extname, join, relative, sep } from "node:path";
import { gzipSync } from "node:zlib";

/** One file of the build, ready to send. */
export interface BuiltFile {
  body: Buffer;
  /** The same bytes gzipped, when that saves something worth it (text files). */
  gzipped: Buffer | undefined;
  contentType: string;
  etag: string;
  /** Vite names the files under assets/ by their content hash: they never change, so they are cached for good. */
  immutable: boolean;
}

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

const COMPRESSIBLE = /^(text\/|application\/json|image\/svg)/;
/** Smaller files are sent as they are: gzip's framing would eat what it saves. */
const GZIP_MIN_BYTES = 1024;

/**
 * The whole production build read into memory once (about a megabyte): each
 * request is then a map lookup, so no path from a URL ever reaches the file
 * system, and a build swapped in by another process cannot change what this
 * one serves halfway. Dot-files (the build stamp) are left out.
 */
export function loadBuiltFiles(distDir: string): Map<string, BuiltFile> {
  const files = new Map<string, BuiltFile>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith(".")) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(path);
        continue;
      }
      const body = readFileSync(path);
      const urlPath = `/${relative(distDir, path).split(sep).join("/")}`;
      const contentType = CONTENT_TYPES[extname(path)] ?? "application/octet-stream";
      const gzipped = COMPRESSIBLE.test(contentType) && body.length >= GZIP_MIN_BYTES ? gzipSync(body) : undefined;
      files.set(urlPath, {
        body,
        gzipped,
        contentType,
        etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`,
        immutable: urlPath.startsWith("/assets/"),
      });
    }
  };
  walk(distDir);
  if (!files.has("/index.html")) throw new Error(`${distDir} has no index.html: not a dashboard build`);
  return files;
}
