import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { LocalUsageReport } from "@modelfaucet/contract";
import { ReportLog } from "./report-log.js";

/** The queue's file in the data directory. */
export const REPORT_LOG_FILE = "reports.jsonl";
/** Lines that no longer describe a queued report before the log is compacted (and at least as many as live ones). */
const COMPACT_AFTER_OBSOLETE_LINES = 1000;

/** One line of the log: an event in the life of a report. */
type LogRow =
  | { op: "queued"; request_id: string; ticket: string; report: LocalUsageReport; at: string }
  | { op: "retry"; request_id: string; attempts: number; next_attempt_at: string; last_error: string; at: string }
  | { op: "dead"; request_id: string; attempts: number; status: number | null; last_error: string; at: string }
  | { op: "sent" | "purged"; request_id: string; at: string };

/** A report waiting to be delivered (`pending`) or refused by the API for good (`dead`, a dead letter). */
export interface QueuedReport {
  ticket: string;
  report: LocalUsageReport;
  state: "pending" | "dead";
  queued_at: string;
  attempts: number;
  /** Epoch ms before which a pending report is not retried. */
  nextAttemptAt: number;
  last_error: string | null;
  /** The API's answer for a dead letter; null when none (or pending). */
  status: number | null;
}

/** A queued report as `queue list` and `/diagnostics` show it: never the ticket. */
export type QueuedReportView = Omit<QueuedReport, "ticket" | "nextAttemptAt"> & { next_attempt_at: string | null };

/**
 * The bridge's durable queue of usage reports: the log's rows folded into
 * the live reports, each change appended (and synced) before it counts.
 * Delivered and purged reports leave memory at once and the file at the
 * next compaction. Reports are keyed by `request_id`, as the API is.
 */
export class ReportQueue {
  readonly #log: ReportLog<LogRow>;
  readonly #reports = new Map<string, QueuedReport>();
  #obsoleteLines = 0;
  /** Lines of the log that were not JSON when it was opened (reported by `doctor`). */
  readonly skippedLines: number;

  private constructor(log: ReportLog<LogRow>, skippedLines: number) {
    this.#log = log;
    this.skippedLines = skippedLines;
  }

  /** Opens the queue in `dataDir` (created, private to the user), compacting it. */
  static async open(dataDir: string): Promise<ReportQueue> {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const { log, rows, skipped } = await ReportLog.open<LogRow>(join(dataDir, REPORT_LOG_FILE));
    const queue = new ReportQueue(log, skipped);
    for (const row of rows) queue.#apply(row);
    if (queue.#obsoleteLines > 0) await queue.#compact();
    return queue;
  }

  /** Whether a report for this request id is waiting or dead-lettered. */
  has(requestId: string): boolean {
    return this.#reports.has(requestId);
  }

  /** Queues a report; resolved once it is on disk. */
  async enqueue(ticket: string, report: LocalUsageReport): Promise<void> {
    if (this.#reports.has(report.request_id)) throw new Error(`a report for ${report.request_id} is already queued`);
    await this.#record({ op: "queued", request_id: report.request_id, ticket, report, at: now() });
  }

  /** Pending reports whose retry time has come by `atMs`, oldest first. */
  due(atMs: number): Array<QueuedReport & { request_id: string }> {
    return [...this.#reports.entries()]
      .filter(([, entry]) => entry.state === "pending" && entry.nextAttemptAt <= atMs)
      .map(([request_id, entry]) => ({ ...entry, request_id }));
  }

  /** When the next pending report is due (epoch ms), if any is pending. */
  nextDueAt(): number | undefined {
    let next: number | undefined;
    for (const entry of this.#reports.values()) {
      if (entry.state === "pending" && (next === undefined || entry.nextAttemptAt < next)) next = entry.nextAttemptAt;
    }
    return next;
  }

  async markSent(requestId: string): Promise<void> {
    if (this.#reports.has(requestId)) await this.#record({ op: "sent", request_id: requestId, at: now() });
  }

  async markRetry(requestId: string, lastError: string, delayMs: number): Promise<void> {
    const entry = this.#reports.get(requestId);
    if (entry === undefined) return;
    const next_attempt_at = new Date(Date.now() + delayMs).toISOString();
    await this.#record({
      op: "retry",
      request_id: requestId,
      attempts: entry.attempts + 1,
      next_attempt_at,
      last_error: lastError,
      at: now(),
    });
  }

  async markDead(requestId: string, status: number | null, lastError: string): Promise<void> {
    const entry = this.#reports.get(requestId);
    if (entry === undefined) return;
    const attempts = entry.attempts + 1;
    await this.#record({ op: "dead", request_id: requestId, attempts, status, last_error: lastError, at: now() });
  }

  /** Drops every dead letter; returns how many. */
  async purgeDead(): Promise<number> {
    const dead = [...this.#reports.entries()].filter(([, entry]) => entry.state === "dead").map(([id]) => id);
    if (dead.length === 0) return 0;
    const at = now();
    const rows = dead.map((request_id): LogRow => ({ op: "purged", request_id, at }));
    await this.#log.append(...rows);
    for (const row of rows) this.#apply(row);
    await this.#compactIfWorthIt();
    return dead.length;
  }

  list(): QueuedReportView[] {
    return [...this.#reports.values()].map(({ ticket: _ticket, nextAttemptAt, ...entry }) => ({
      ...entry,
      next_attempt_at: entry.state === "pending" ? new Date(nextAttemptAt).toISOString() : null,
    }));
  }

  stats(): { pending: number; dead: number } {
    let dead = 0;
    for (const entry of this.#reports.values()) if (entry.state === "dead") dead += 1;
    return { pending: this.#reports.size - dead, dead };
  }

  close(): Promise<void> {
    return this.#log.close();
  }

  async #record(row: LogRow): Promise<void> {
    await this.#log.append(row);
    this.#apply(row);
    await this.#compactIfWorthIt();
  }

  #apply(row: LogRow): void {
    const entry = this.#reports.get(row.request_id);
    switch (row.op) {
      case "queued":
        if (entry !== undefined) this.#obsoleteLines += 1;
        else {
          this.#reports.set(row.request_id, {
            ticket: row.ticket,
            report: row.report,
            state: "pending",
            queued_at: row.at,
            attempts: 0,
            nextAttemptAt: 0,
            last_error: null,
            status: null,
          });
        }
        return;
      case "retry":
        this.#obsoleteLines += 1;
        if (entry === undefined) return;
        entry.attempts = row.attempts;
        entry.nextAttemptAt = Date.parse(row.next_attempt_at);
        entry.last_error = row.last_error;
        return;
      case "dead":
        this.#obsoleteLines += 1;
        if (entry === undefined) return;
        entry.state = "dead";
        entry.attempts = row.attempts;
        entry.status = row.status;
        entry.last_error = row.last_error;
        return;
      case "sent":
      case "purged":
        // This line and the report's own `queued` line (and its retries, already counted) are obsolete.
        this.#obsoleteLines += entry === undefined ? 1 : 2;
        this.#reports.delete(row.request_id);
        return;
    }
  }

  async #compactIfWorthIt(): Promise<void> {
    if (this.#obsoleteLines >= COMPACT_AFTER_OBSOLETE_LINES && this.#obsoleteLines >= this.#reports.size) {
      await this.#compact();
    }
  }

  /** Rewrites the log as one `queued` line per live report, plus its state when it has one. */
  async #compact(): Promise<void> {
    const rows: LogRow[] = [];
    for (const [request_id, entry] of this.#reports) {
      rows.push({ op: "queued", request_id, ticket: entry.ticket, report: entry.report, at: entry.queued_at });
      if (entry.state === "dead") {
        const { attempts, status } = entry;
        rows.push({ op: "dead", request_id, attempts, status, last_error: entry.last_error ?? "", at: now() });
      } else if (entry.attempts > 0) {
        rows.push({
          op: "retry",
          request_id,
          attempts: entry.attempts,
          next_attempt_at: new Date(entry.nextAttemptAt).toISOString(),
          last_error: entry.last_error ?? "",
          at: now(),
        });
      }
    }
    await this.#log.rewrite(rows);
    this.#obsoleteLines = 0;
  }
}

function now(): string {
  return new Date().toISOString();
}
