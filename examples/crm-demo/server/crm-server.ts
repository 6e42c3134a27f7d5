import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { FaucetError } from "@modelfaucet/sdk";
import { createSessionMinter, type SessionMinter } from "@modelfaucet/sdk/server";
import type { PageConfig } from "../src/page-config.js";
import type { CrmConfig } from "./crm-config.js";
import { staticFiles } from "./static-files.js";

const SECURITY_HEADERS = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
};

function sendJson(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { ...SECURITY_HEADERS, "content-type": "application/json", "cache-control": "no-store" });
  response.end(JSON.stringify(body));
}

/**
 * A request another site's page made: browsers say so in `Sec-Fetch-Site`.
 * This backend sends no CORS headers, so such a page could never read a
 * session anyway; refusing it outright also keeps it from minting one.
 */
const crossSite = (request: IncomingMessage) => request.headers["sec-fetch-site"] === "cross-site";

/**
 * The CRM's own backend: it serves the built page, and mints ModelFaucet
 * sessions for its signed-in user with the app's secret key — the key stays
 * here; the browser only ever holds the short-lived session.
 *
 * - `GET /api/config`: the page's settings (PageConfig).
 * - `POST /api/session`: a session for the signed-in user (the SDK's SessionGrant).
 * - anything else: the page.
 */
export function createCrmServer(
  config: CrmConfig,
  minter: SessionMinter = createSessionMinter({ secretKey: config.secretKey, apiBaseUrl: config.apiBaseUrl }),
): Server {
  const page = staticFiles(config.staticDir);
  const pageConfig: PageConfig = {
    apiBaseUrl: config.apiBaseUrl,
    localBridgeUrl: config.localBridgeUrl ?? null,
    user: { name: config.user.name },
  };

  async function mintSession(response: ServerResponse) {
    try {
      const grant = await minter.mint({ publicAppId: config.publicAppId, externalUserId: config.user.id });
      sendJson(response, 200, grant);
    } catch (error) {
      // The API's code and request id help; its message is for the operator, and so is the log line.
      const code = FaucetError.is(error) ? error.code : "session_unavailable";
      const requestId = FaucetError.is(error) ? error.requestId : undefined;
      process.stderr.write(`crm-demo: minting a session failed: ${(error as Error).message}\n`);
      sendJson(response, 502, { error: { code, message: "Could not start an AI session.", request_id: requestId } });
    }
  }

  return createServer(async (request, response) => {
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(request.url ?? "/", "http://crm").pathname);
    } catch {
      sendJson(response, 400, { error: { code: "invalid_request", message: "Malformed URL." } });
      return;
    }
    const route = `${request.method} ${pathname}`;
    if (route === "GET /api/config") return sendJson(response, 200, pageConfig);
    if (route === "POST /api/session") {
      if (crossSite(request)) return sendJson(response, 403, { error: { code: "forbidden", message: "Cross-site." } });
      return mintSession(response);
    }
    if (pathname.startsWith("/api/")) {
      return sendJson(response, 404, { error: { code: "not_found", message: `No route ${route}.` } });
    }
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { ...SECURITY_HEADERS, allow: "GET, HEAD" }).end();
      return;
    }
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
    await page(pathname, response);
  });
}
