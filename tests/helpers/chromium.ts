import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, sep } from "node:path";
import { chromium, type Browser } from "playwright-core";

/** Debian's chromium package, which CI (`.ci/run`) installs with apt; playwright-core downloads no browser here. */
export const CHROMIUM_PATH = "/usr/bin/chromium";

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** A headless Chromium. A missing browser fails the test, never skips it. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `${CHROMIUM_PATH} is missing: install it with \`apt-get install -y chromium\` (as root), as CI does`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json",
};

/** A page origin for browser tests: fixed pages by path, and directories served as static files under a prefix. */
export interface PageServer {
  origin: string;
  close(): Promise<void>;
}

export async function startPageServer(options: {
  pages: Record<string, string>;
  directories?: Record<string, string>;
}): Promise<PageServer> {
  const server: Server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? "/", "http://page").pathname);
    const page = options.pages[path];
    if (page !== undefined) {
      response.writeHead(200, { "content-type": CONTENT_TYPES[".html"] }).end(page);
      return;
    }
    for (const [prefix, directory] of Object.entries(options.directories ?? {})) {
      if (!path.startsWith(prefix)) continue;
      const file = normalize(join(directory, path.slice(prefix.length)));
      if (!file.startsWith(directory + sep)) break;
      try {
        const body = await readFile(file);
        response.writeHead(200, { "content-type": CONTENT_TYPES[extname(file)] ?? "application/octet-stream" });
        response.end(body);
        return;
      } catch {
        break;
      }
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
