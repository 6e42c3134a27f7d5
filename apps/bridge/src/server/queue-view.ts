import type { ReportQueue } from "../queue/report-queue.js";
import type { ReportSender, SendSummary } from "../queue/report-sender.js";

/** The queue as `queue list --json` and `GET /queue` show it: counts and every report, never a ticket. */
export function queueView(queue: ReportQueue) {
  return { ...queue.stats(), items: queue.list() };
}

export type QueueView = ReturnType<typeof queueView>;

/** `queue flush --json` and `POST /queue/flush`: what this pass did, and what the queue holds after it. */
export type FlushResult = SendSummary & { queue: { pending: number; dead: number } };

export async function flushQueue(queue: ReportQueue, sender: ReportSender): Promise<FlushResult> {
  return { ...(await sender.flush()), queue: queue.stats() };
}
