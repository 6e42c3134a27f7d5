import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { UpstreamPools } from "@modelfaucet/providers";
import type { BridgeConfig } from "../config/bridge-config.js";
import { DataDirLock } from "../queue/data-dir-lock.js";
import { deliverReport } from "../queue/deliver-report.js";
import { ReportQueue } from "../queue/report-queue.js";
import { ReportSender } from "../queue/report-sender.js";
import type { BridgeContext } from "./bridge-context.js";
import { silentLogger, type BridgeLogger } from "./bridge-logger.js";
import { BrowserGuard } from "./browser-guard.js";
import { createRequestHandler } from "./handle-request.js";

/** How long closing waits for calls under way before cutting them (their reports are queued either way), ms. */
const CLOSE_GRACE_MS = 5000;

/** A running bridge. */
export interface BridgeHandle {
  /** `http://127.0.0.1:8787`, `http://[::1]:8787`: every address it listens on. */
  urls: string[];
  port: number;
  /** Stops listening, lets calls under way finish (or cuts them after a grace), and closes the queue. */
  close(): Promise<void>;
}

/**
 * Starts a bridge: takes the data directory's lock, opens the report queue
 * and starts delivering it (every pending report at once, then with
 * backoff), and listens on every configured address (loopback by default;
 * an address the machine lacks, such as ::1 without IPv6, is skipped).
 */
export async function startBridge(config: BridgeConfig, log: BridgeLogger = silentLogger): Promise<BridgeHandle> {
  const lock = await DataDirLock.acquire(config.dataDir);
  const pools = new UpstreamPools({ connectTimeoutMs: 2000 });
  const queue = await ReportQueue.open(config.dataDir).catch(async (error: unknown) => {
    await lock.release();
    throw error;
  });
  const sender = new ReportSender(queue, (ticket, report) => deliverReport(pools, config.apiUrl, ticket, report), {
    onOutcome: (request_id, outcome) =>
      outcome.result === "delivered"
        ? log.info("report delivered", { request_id })
        : log.warn(outcome.result === "dead" ? "report refused (dead letter)" : "report not delivered yet", {
            request_id,
            reason: outcome.reason,
          }),
    onError: (error) => log.warn("report queue failed", { error: (error as Error).message }),
  });
  const ctx: BridgeContext = { config, pools, queue, sender, callsInFlight: new Set(), log, urls: [] };
  const servers: Server[] = [];
  const calls = new Set<Promise<void>>();
  // The Host allow-list needs the port, known once the first address is bound (`--port 0`).
  let handle: ReturnType<typeof createRequestHandler> | undefined;
  const onRequest: Parameters<typeof createServer>[1] = (req, res) => {
    if (handle === undefined) return void res.writeHead(503).end();
    const call = handle(req, res);
    calls.add(call);
    void call.finally(() => calls.delete(call));
  };
  try {
    let port = config.port;
    for (const host of config.hosts) {
      const server = createServer(onRequest);
      const bound = await listen(server, host, port);
      if (bound === undefined) {
        log.warn("address not available, skipped", { host });
        continue;
      }
      port = bound;
      servers.push(server);
      ctx.urls.push(`http://${host.includes(":") ? `[${host}]` : host}:${port}`);
    }
    handle = createRequestHandler(ctx, new BrowserGuard(config.hosts, port, config.allowOrigins));
    if (servers.length === 0) throw new Error(`none of ${config.hosts.join(", ")} could be bound`);
    await lock.setUrl(ctx.urls[0] as string);
  } catch (error) {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    await Promise.all([sender.stop(), pools.close()]);
    await queue.close();
    await lock.release();
    throw error;
  }
  // A (re)start is the moment to try everything a previous run left, whatever its backoff said.
  sender.flush().catch((error: unknown) => log.warn("report queue failed", { error: (error as Error).message }));

  return {
    urls: ctx.urls,
    port: Number(new URL(ctx.urls[0] as string).port),
    close: async () => {
      for (const server of servers) server.close();
      const cut = setTimeout(() => servers.forEach((server) => server.closeAllConnections()), CLOSE_GRACE_MS);
      while (calls.size > 0) await Promise.allSettled([...calls]);
      clearTimeout(cut);
      await sender.stop();
      await Promise.all([queue.close(), pools.close()]);
      await lock.release();
    },
  };
}

/** Listens; resolves with the port, or undefined when the address does not exist here. */
function listen(server: Server, host: string, port: number): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      error.code === "EADDRNOTAVAIL" || error.code === "EAFNOSUPPORT" ? resolve(undefined) : reject(error),
    );
    server.listen({ host, port, ipv6Only: host.includes(":") }, () => resolve((server.address() as AddressInfo).port));
  });
}
