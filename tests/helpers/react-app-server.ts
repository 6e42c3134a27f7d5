import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, sep } from "node:path";
import type { SessionGrant } from "@modelfaucet/sdk";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
};

/**
 * What an app that embeds @modelfaucet/react runs: its built pages, and its
 * own session endpoint (`GET /session?feature=…`) that mints for whoever
 * its sign-in says is using the page. The secret key stays in `mint`, on
 * this side.
 */
export interface ReactAppServer {
  origin: string;
  /** The app's sign-in, as the test plays it: `/session` mints for this user from now on. */
  signIn(externalUserId: string): void;
  close(): Promise<void>;
}

export async function startReactAppServer(options: {
  /** The built pages (Vite's outDir): `/` is its index.html. */
  root: string;
  /** Mints a session with the app's secret (createSessionMinter); called per `/session` request. */
  mint(externalUserId: string, featureKey: string): Promise<SessionGrant>;
}): Promise<ReactAppServer> {
  let signedIn: string | undefined;

  async function session(url: URL) {
    if (signedIn === undefined) return { status: 401, body: JSON.stringify({ error: "nobody is signed in" }) };
    const grant = await options.mint(signedIn, url.searchParams.get("feature") ?? "chat");
    return { status: 200, body: JSON.stringify(grant) };
  }

  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://app");
    try {
      if (url.pathname === "/session") {
        const { status, body } = await session(url);
        response.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" }).end(body);
        return;
      }
      const file = normalize(join(options.root, url.pathname === "/" ? "index.html" : url.pathname));
      if (!file.startsWith(options.root + sep)) {
        response.writeHead(404).end();
        return;
      }
      const body = await readFile(file);
      response.writeHead(200, { "content-type": CONTENT_TYPES[extname(file)] ?? "application/octet-stream" });
      response.end(body);
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
      response.writeHead(missing ? 404 : 500).end(missing ? undefined : String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    signIn(externalUserId) {
      signedIn = externalUserId;
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
