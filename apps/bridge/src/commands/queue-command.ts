import { UpstreamPools } from "@modelfaucet/providers";
import { request } from "undici";
import { DataDirLock, runningBridge } from "../queue/data-dir-lock.js";
import { deliverReport } from "../queue/deliver-report.js";
import { ReportQueue } from "../queue/report-queue.js";
import { ReportSender } from "../queue/report-sender.js";
import { flushQueue, queueView, type FlushResult, type QueueView } from "../server/queue-view.js";
import { printResult, table } from "./output.js";

export interface QueueOptions {
  dataDir: string;
  apiUrl: URL;
  json: boolean;
}

/**
 * `queue list | flush | purge`. When a bridge runs on this data directory,
 * it owns the queue and is asked over its loopback API; otherwise the
 * command takes the lock and works on the file itself.
 */
export async function queueCommand(action: "list" | "flush" | "purge", options: QueueOptions): Promise<void> {
  const owner = await runningBridge(options.dataDir);
  switch (action) {
    case "list": {
      const view = owner
        ? ((await askBridge(owner.url as string, "GET", "/queue")) as QueueView)
        : await withQueue(options.dataDir, async (queue) => queueView(queue));
      return printResult(options.json, view, () => listText(view));
    }
    case "flush": {
      const summary = owner
        ? ((await askBridge(owner.url as string, "POST", "/queue/flush")) as FlushResult)
        : await withQueue(options.dataDir, async (queue) => {
            const pools = new UpstreamPools({ connectTimeoutMs: 2000 });
            try {
              const sender = new ReportSender(queue, (ticket, report) =>
                deliverReport(pools, options.apiUrl, ticket, report),
              );
              return await flushQueue(queue, sender);
            } finally {
              await pools.close();
            }
          });
      return printResult(options.json, summary, () => flushText(summary));
    }
    case "purge": {
      const result = owner
        ? ((await askBridge(owner.url as string, "POST", "/queue/purge")) as { purged: number })
        : await withQueue(options.dataDir, async (queue) => ({ purged: await queue.purgeDead() }));
      return printResult(options.json, result, () => `Purged ${result.purged} dead letter(s).`);
    }
  }
}

/** Runs `work` on the queue file under the data directory's lock. */
export async function withQueue<T>(dataDir: string, work: (queue: ReportQueue) => Promise<T>): Promise<T> {
  const lock = await DataDirLock.acquire(dataDir);
  try {
    const queue = await ReportQueue.open(dataDir);
    try {
      return await work(queue);
    } finally {
      await queue.close();
    }
  } finally {
    await lock.release();
  }
}

/** A call to the running bridge's command-line routes (no Origin, so they are allowed). */
export async function askBridge(url: string, method: "GET" | "POST", path: string): Promise<unknown> {
  const { statusCode, body } = await request(`${url}${path}`, {
    method,
    reset: true,
    signal: AbortSignal.timeout(60_000),
  });
  const answer = (await body.json()) as unknown;
  if (statusCode !== 200) throw new Error(`the running bridge answered HTTP ${statusCode} to ${method} ${path}`);
  return answer;
}

function listText(view: QueueView): string {
  const summary = `${view.pending} pending, ${view.dead} dead letter(s)`;
  if (view.items.length === 0) return summary;
  const rows = view.items.map((item) => [
    item.report.request_id,
    item.state,
    item.report.model,
    String(item.report.input_tokens),
    String(item.report.output_tokens),
    item.report.usage_source,
    String(item.attempts),
    item.last_error ?? "",
  ]);
  return `${table(["REQUEST ID", "STATE", "MODEL", "IN", "OUT", "SOURCE", "TRIES", "LAST ERROR"], rows)}\n${summary}`;
}

function flushText(result: FlushResult): string {
  return (
    `Delivered ${result.delivered}, will retry ${result.retrying}, refused ${result.dead}; ` +
    `${result.queue.pending} pending, ${result.queue.dead} dead letter(s) left.`
  );
}
