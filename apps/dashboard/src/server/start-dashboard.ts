import { createServer, type Server } from "node:http";
import { fileURLToPath } from "node:url";
import { createApiProxy, isApiPath } from "./api-proxy.js";
import { buildIfStale } from "./build-if-stale.js";
import { loadBuiltFiles } from "./built-files.js";
import type { DashboardLogger } from "./dashboard-logger.js";
import { sendBuildFailed, serveBuiltFiles } from "./serve-built-files.js";

const DASHBOARD_DIR = fileURLToPath(new URL("../..", import.meta.url));
const REPO_ROOT = fileURLToPath(new URL("../../../..", import.meta.url));

/** How long open connections (browsers keep them alive) may stay once the server closes. */
const CLOSE_GRACE_MS = 3000;

export interface DashboardOptions {
  host: string;
  port: number;
  /** The Control API the pages' /v1 calls are passed to, e.g. http://127.0.0.1:3001. */
  apiUrl: string;
  /**
   * `production`: the built files (built first when missing or out of date);
   * `development`: Vite's dev server, with hot reload.
   */
  mode: "production" | "development";
  logger: DashboardLogger;
}

export interface RunningDashboard {
  url: string;
  close(): Promise<void>;
}

const urlOf = (host: string, port: number) => `http://${host.includes(":") ? `[${host}]` : host}:${port}`;

/**
 * The dashboard on `host:port`, its /v1 calls passed to the API (one origin
 * for the browser). In production mode it listens at once and builds in
 * the background when it must: a page asked for meanwhile is answered when
 * the build is there (a few seconds, on a fresh clone only).
 */
export async function startDashboard(options: DashboardOptions): Promise<RunningDashboard> {
  if (options.mode === "development") return startDevServer(options);
  const { logger } = options;
  const build = buildIfStale({ dashboardDir: DASHBOARD_DIR, repoRoot: REPO_ROOT, logger });
  const files = build.ready.then(loadBuiltFiles);
  // Each request reports a failure; the build logged why. Marked handled so it never ends the process.
  files.catch(() => undefined);
  const proxy = createApiProxy(new URL(options.apiUrl), logger);
  const server = createServer((request, response) => {
    if (isApiPath(new URL(request.url ?? "/", "http://dashboard").pathname)) {
      proxy.forward(request, response);
      return;
    }
    files.then(
      (built) => serveBuiltFiles(built, request, response),
      () => sendBuildFailed(response),
    );
  });
  await listen(server, options.host, options.port);
  return {
    url: urlOf(options.host, options.port),
    close: async () => {
      await build.cancel();
      await closeServer(server);
      proxy.close();
    },
  };
}

async function startDevServer(options: DashboardOptions): Promise<RunningDashboard> {
  const { createServer: createViteServer } = await import("vite");
  const vite = await createViteServer({
    configFile: fileURLToPath(new URL("../../vite.config.ts", import.meta.url)),
    server: {
      host: options.host,
      port: options.port,
      strictPort: true,
      proxy: { "/v1": { target: options.apiUrl, changeOrigin: false } },
    },
  });
  await vite.listen();
  return { url: urlOf(options.host, options.port), close: () => vite.close() };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host, port, exclusive: true }, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

/** Stops accepting, lets requests under way finish, and does not wait for idle keep-alive connections. */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS).unref();
  });
}
