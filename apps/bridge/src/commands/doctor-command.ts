import { mkdir, open, rm } from "node:fs/promises";
import { join } from "node:path";
import { request } from "undici";
import { readLockOwner, runningBridge } from "../queue/data-dir-lock.js";
import type { UpstreamTarget } from "../upstreams/upstream-kinds.js";
import { detectOnce } from "./detect-command.js";
import { printResult, table } from "./output.js";
import { askBridge, withQueue } from "./queue-command.js";
import type { QueueView } from "../server/queue-view.js";

export interface DoctorOptions {
  upstream: UpstreamTarget[];
  dataDir: string;
  apiUrl: URL;
  json: boolean;
}

/** One finding: `fail` makes `doctor` exit 1; `warn` is worth knowing but the bridge works. */
interface Check {
  name: string;
  status: "ok" | "warn" | "fail";
  detail: string;
}

/** Lowest Node.js the bridge runs on (package.json engines). */
const MIN_NODE = [20, 19] as const;

/** `doctor`: Node, the data directory (and what a durable write costs there), the queue, local servers, the API. */
export async function doctorCommand(options: DoctorOptions): Promise<void> {
  const checks = await Promise.all([
    checkNode(),
    checkDataDir(options.dataDir),
    checkQueue(options.dataDir),
    checkUpstreams(options.upstream),
    checkApi(options.apiUrl),
  ]);
  printResult(options.json, { checks }, () =>
    table(
      ["CHECK", "STATUS", "DETAIL"],
      checks.map((check) => [check.name, check.status, check.detail]),
    ),
  );
  if (checks.some((check) => check.status === "fail")) process.exitCode = 1;
}

async function checkNode(): Promise<Check> {
  const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
  const ok = major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
  return {
    name: "node",
    status: ok ? "ok" : "fail",
    detail: `${process.version} (needs ${MIN_NODE.join(".")} or newer)`,
  };
}

/** Writes and syncs a probe file as the queue does for each report, and times it. */
async function checkDataDir(dataDir: string): Promise<Check> {
  const probe = join(dataDir, `.doctor-${process.pid}`);
  try {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const file = await open(probe, "w", 0o600);
    const started = performance.now();
    try {
      await file.write(`${JSON.stringify({ probe: true })}\n`);
      await file.datasync();
    } finally {
      await file.close();
    }
    const ms = (performance.now() - started).toFixed(2);
    return { name: "data_dir", status: "ok", detail: `${dataDir} writable; a durable append took ${ms} ms` };
  } catch (error) {
    return { name: "data_dir", status: "fail", detail: `${dataDir}: ${(error as Error).message}` };
  } finally {
    await rm(probe, { force: true });
  }
}

async function checkQueue(dataDir: string): Promise<Check> {
  try {
    const owner = await runningBridge(dataDir);
    const view = owner
      ? ((await askBridge(owner.url as string, "GET", "/queue")) as QueueView)
      : await withQueue(dataDir, async (queue) => ({ ...queue.stats(), skipped: queue.skippedLines }));
    const who = owner ? `bridge pid ${owner.pid} on ${owner.url}` : "no bridge running";
    const detail = `${view.pending} pending, ${view.dead} dead letter(s); ${who}`;
    return { name: "queue", status: view.dead > 0 ? "warn" : "ok", detail };
  } catch (error) {
    const holder = await readLockOwner(dataDir);
    const note = holder ? ` (lock held by pid ${holder.pid})` : "";
    return { name: "queue", status: "fail", detail: `${(error as Error).message}${note}` };
  }
}

async function checkUpstreams(overrides: readonly UpstreamTarget[]): Promise<Check> {
  const found = await detectOnce(overrides);
  const available = found.filter((upstream) => upstream.status === "available");
  const models = available.reduce((sum, upstream) => sum + upstream.models.length, 0);
  const slowest = Math.max(...found.map((upstream) => upstream.latency_ms));
  return {
    name: "local_servers",
    status: available.length > 0 ? "ok" : "warn",
    detail:
      available.length > 0
        ? `${available.map((upstream) => upstream.kind).join(", ")}: ${models} model(s); probes took ${slowest} ms`
        : `none answered (${found.map((upstream) => upstream.url).join(", ")}); probes took ${slowest} ms`,
  };
}

async function checkApi(apiUrl: URL): Promise<Check> {
  const url = new URL("health", apiUrl.href.endsWith("/") ? apiUrl : `${apiUrl.href}/`);
  try {
    const { statusCode, body } = await request(url, { reset: true, signal: AbortSignal.timeout(2000) });
    await body.dump();
    return statusCode === 200
      ? { name: "api", status: "ok", detail: `${url.href} answered` }
      : { name: "api", status: "warn", detail: `${url.href} answered HTTP ${statusCode}` };
  } catch (error) {
    // Reports wait in the queue while the API is away: worth knowing, not a failure of the bridge.
    return { name: "api", status: "warn", detail: `${url.href}: ${(error as Error).message || "unreachable"}` };
  }
}
