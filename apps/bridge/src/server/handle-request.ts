import type { IncomingMessage, ServerResponse } from "node:http";
import { resolveRequestId } from "@modelfaucet/crypto";
import { CHAT_COMPLETIONS, EMBEDDINGS } from "../proxy/local-endpoints.js";
import { proxyCall } from "../proxy/proxy-call.js";
import { detectUpstreams, openAIModelList } from "../upstreams/detect-upstreams.js";
import { BRIDGE_VERSION } from "../version.js";
import type { BridgeContext } from "./bridge-context.js";
import type { BrowserGuard } from "./browser-guard.js";
import { BridgeError, sendError, sendJson } from "./http-reply.js";
import { flushQueue, queueView } from "./queue-view.js";

type Handler = (ctx: BridgeContext, req: IncomingMessage, res: ServerResponse, requestId: string) => Promise<void>;

/** Routes for the command line (`queue …` while the bridge runs): refused to any request carrying an Origin. */
const CLI_ONLY = new Set(["/queue", "/queue/flush", "/queue/purge"]);

const ROUTES: Record<string, Partial<Record<"GET" | "POST", Handler>>> = {
  "/health": { GET: async (_ctx, _req, res) => sendJson(res, 200, { status: "ok", version: BRIDGE_VERSION }) },
  "/diagnostics": { GET: async (ctx, _req, res) => sendJson(res, 200, await diagnostics(ctx)) },
  "/v1/models": {
    GET: async (ctx, _req, res) =>
      sendJson(res, 200, openAIModelList(await detectUpstreams(ctx.pools, ctx.config.upstreams))),
  },
  "/v1/chat/completions": { POST: (ctx, req, res, id) => proxyCall(ctx, CHAT_COMPLETIONS, req, res, id) },
  "/v1/embeddings": { POST: (ctx, req, res, id) => proxyCall(ctx, EMBEDDINGS, req, res, id) },
  "/queue": { GET: async (ctx, _req, res) => sendJson(res, 200, queueView(ctx.queue)) },
  "/queue/flush": {
    POST: async (ctx, _req, res) => sendJson(res, 200, await flushQueue(ctx.queue, ctx.sender)),
  },
  "/queue/purge": { POST: async (ctx, _req, res) => sendJson(res, 200, { purged: await ctx.queue.purgeDead() }) },
};

/**
 * The bridge's HTTP handler. Every answer carries `x-request-id` (the
 * caller's if sane). Browser safety comes first: a `Host` that is not the
 * bridge's, or an `Origin` not allowed, gets a 403 envelope and no CORS
 * header — nothing a page can use.
 */
export function createRequestHandler(ctx: BridgeContext, guard: BrowserGuard) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = resolveRequestId(req.headers["x-request-id"]);
    res.setHeader("x-request-id", requestId);
    try {
      await route(ctx, guard, req, res, requestId);
    } catch (error) {
      if (!(error instanceof BridgeError)) {
        ctx.log.warn("request failed", { request_id: requestId, error: (error as Error).message });
      }
      const failure =
        error instanceof BridgeError ? error : new BridgeError("internal_error", "The bridge failed on this request.");
      if (failure.status === 413) res.setHeader("connection", "close");
      if (!res.headersSent) sendError(res, requestId, failure);
      else res.end();
    }
  };
}

async function route(
  ctx: BridgeContext,
  guard: BrowserGuard,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
): Promise<void> {
  if (!guard.hostAllowed(req)) {
    req.resume();
    throw new BridgeError("forbidden", "This Host is not the bridge's: use http://127.0.0.1 or http://localhost.");
  }
  const origin = req.headers.origin;
  const path = new URL(req.url ?? "/", "http://bridge").pathname;
  if (origin !== undefined) {
    if (!guard.originAllowed(req) || CLI_ONLY.has(path)) {
      req.resume();
      throw new BridgeError(
        "forbidden",
        "This origin may not call the bridge (see modelfaucet-bridge --allow-origin).",
      );
    }
    for (const [name, value] of Object.entries(guard.corsHeaders(origin))) res.setHeader(name, value as string);
  }
  if (req.method === "OPTIONS") {
    if (origin !== undefined)
      for (const [name, value] of Object.entries(guard.preflightHeaders(req, origin))) {
        res.setHeader(name, value as string);
      }
    res.writeHead(204).end();
    return;
  }
  const methods = ROUTES[path];
  if (methods === undefined) throw new BridgeError("not_found", `No route ${req.method} ${path}.`);
  const handler = methods[req.method as "GET" | "POST"];
  if (handler === undefined) {
    res.setHeader("allow", Object.keys(methods).join(", "));
    throw new BridgeError("method_not_allowed", `${path} answers ${Object.keys(methods).join(", ")}.`);
  }
  await handler(ctx, req, res, requestId);
}

/** `GET /diagnostics`: what the bridge sees. It holds no key; tickets never leave the queue file. */
async function diagnostics(ctx: BridgeContext) {
  return {
    version: BRIDGE_VERSION,
    pid: process.pid,
    urls: ctx.urls,
    allow_origins: ctx.config.allowOrigins,
    api_url: ctx.config.apiUrl.href,
    data_dir: ctx.config.dataDir,
    upstreams: await detectUpstreams(ctx.pools, ctx.config.upstreams),
    queue: ctx.queue.stats(),
    calls_in_flight: ctx.callsInFlight.size,
  };
}
