import { readFile } from "node:fs/promises";
import type { ServerResponse } from "node:http";
import { extname, join, normalize, sep } from "node:path";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".woff2": "font/woff2",
};

/**
 * Serves the built page from `root`: a file by path (Vite's hashed assets
 * cached for a year), anything else the app's index.html, so a deep link
 * like /#/contacts or a reload always lands in the app. Paths that climb
 * out of `root` get the index too.
 */
export function staticFiles(root: string) {
  const index = join(root, "index.html");
  return async function serve(pathname: string, response: ServerResponse): Promise<void> {
    const file = normalize(join(root, decodeURIComponent(pathname)));
    const inside = file.startsWith(root + sep) && file !== index;
    const found = inside ? await readFile(file).catch(() => undefined) : undefined;
    if (found) {
      const immutable = pathname.startsWith("/assets/");
      response.writeHead(200, {
        "content-type": CONTENT_TYPES[extname(file)] ?? "application/octet-stream",
        "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
      });
      response.end(found);
      return;
    }
    const page = await readFile(index).catch(() => undefined);
    if (!page) {
      response.writeHead(503, { "content-type": "text/plain; charset=utf-8" });
      response.end(`The page is not built: run \`pnpm --filter @modelfaucet/crm-demo build\` (looked in ${root}).\n`);
      return;
    }
    response.writeHead(200, { "content-type": CONTENT_TYPES[".html"], "cache-control": "no-cache" });
    response.end(page);
  };
}
