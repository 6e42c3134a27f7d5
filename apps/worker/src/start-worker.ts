import type { Database } from "@modelfaucet/db";
import { applyDeferredBalances, expirePendingTransfers } from "@modelfaucet/ledger";
import type { Logger } from "@modelfaucet/server-kit";
import { runJobs } from "./run-jobs.js";
import { sweepExpiredSessions } from "./sweep-sessions.js";

export interface WorkerOptions {
  /** Time between two passes of each job. */
  intervalMs: number;
  /** Most items one pass handles. */
  batchSize: number;
}

/**
 * The periodic jobs. Each is safe with several workers running (the ledger
 * claims holds and deltas atomically; session deletes are idempotent).
 */
export function startWorker(db: Database, logger: Logger, options: WorkerOptions): () => Promise<void> {
  const limit = options.batchSize;
  return runJobs(
    [
      {
        name: "expire-holds",
        intervalMs: options.intervalMs,
        run: async () => (await expirePendingTransfers(db, { now: new Date(), limit })).pendingIds.length,
      },
      {
        name: "apply-deferred-balances",
        intervalMs: options.intervalMs,
        run: async () => (await applyDeferredBalances(db, { limit })).deltas,
      },
      {
        name: "sweep-sessions",
        intervalMs: options.intervalMs * 60,
        run: () => sweepExpiredSessions(db, limit),
      },
    ],
    logger,
  );
}
