import type { LocalUsageReport } from "@modelfaucet/contract";
import type { DeliveryOutcome } from "./deliver-report.js";
import type { ReportQueue } from "./report-queue.js";
import { retryDelayMs } from "./retry-delay.js";

/** Sends one report; never throws (failures are outcomes). */
export type Deliver = (ticket: string, report: LocalUsageReport) => Promise<DeliveryOutcome>;

/** Counts of one pass over the queue. */
export interface SendSummary {
  delivered: number;
  retrying: number;
  dead: number;
}

/** What a sender tells its owner (the bridge logs them). */
export interface SenderEvents {
  onOutcome?: (requestId: string, outcome: DeliveryOutcome) => void;
  /** The queue could not record an outcome (the disk): the pass stopped; the next kick tries again. */
  onError?: (error: unknown) => void;
}

/** Reports in flight to the API at once. */
const SEND_CONCURRENCY = 4;

/**
 * Delivers the queue: a pass sends every due report, records each outcome
 * in the queue (delivered, retry later with backoff, or dead letter), then
 * sleeps until the next retry is due. Passes never overlap; `kick` after an
 * enqueue asks for one soon, `flush` runs one over every pending report,
 * due or not.
 */
export class ReportSender {
  readonly #queue: ReportQueue;
  readonly #deliver: Deliver;
  readonly #events: SenderEvents;
  #passes: Promise<unknown> = Promise.resolve();
  #kickQueued = false;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(queue: ReportQueue, deliver: Deliver, events: SenderEvents = {}) {
    this.#queue = queue;
    this.#deliver = deliver;
    this.#events = events;
  }

  /** Asks for a pass over the due reports (one is queued at most). */
  kick(): void {
    if (this.#stopped || this.#kickQueued) return;
    this.#kickQueued = true;
    this.#enqueuePass(false).catch((error: unknown) => this.#events.onError?.(error));
  }

  /** A pass over every pending report, due or not; resolves with its counts. */
  flush(): Promise<SendSummary> {
    return this.#enqueuePass(true);
  }

  /** Stops scheduling; resolves when the pass under way has recorded its outcomes. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#passes;
  }

  #enqueuePass(all: boolean): Promise<SendSummary> {
    const pass = this.#passes.then(() => {
      if (!all) this.#kickQueued = false;
      return this.#pass(all);
    });
    this.#passes = pass.catch(() => undefined);
    return pass;
  }

  async #pass(all: boolean): Promise<SendSummary> {
    clearTimeout(this.#timer);
    const summary: SendSummary = { delivered: 0, retrying: 0, dead: 0 };
    const due = this.#queue.due(all ? Number.POSITIVE_INFINITY : Date.now());
    for (let start = 0; start < due.length && !this.#stopped; start += SEND_CONCURRENCY) {
      await Promise.all(
        due.slice(start, start + SEND_CONCURRENCY).map(async (entry) => {
          const outcome = await this.#deliver(entry.ticket, entry.report);
          await this.#record(entry.request_id, entry.attempts, outcome);
          summary[outcome.result === "retry" ? "retrying" : outcome.result] += 1;
          this.#events.onOutcome?.(entry.request_id, outcome);
        }),
      );
    }
    this.#schedule();
    return summary;
  }

  #record(requestId: string, attempts: number, outcome: DeliveryOutcome): Promise<void> {
    switch (outcome.result) {
      case "delivered":
        return this.#queue.markSent(requestId);
      case "retry":
        return this.#queue.markRetry(requestId, outcome.reason, retryDelayMs(attempts + 1));
      case "dead":
        return this.#queue.markDead(requestId, outcome.status, outcome.reason);
    }
  }

  #schedule(): void {
    const next = this.#queue.nextDueAt();
    if (this.#stopped || next === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.kick(), Math.max(0, next - Date.now()));
    this.#timer.unref();
  }
}
