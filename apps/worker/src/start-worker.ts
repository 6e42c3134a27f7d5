import { releaseUnreportedLocalTickets } from "@modelfaucet/billing";
import type { Database } from "@modelfaucet/db";
import { applyDeferredBalances, expirePendingTransfers } from "@modelfaucet/ledger";
import type { Logger } from "@modelfaucet/server-kit";
import {
  refreshUsageRollup,
  sweepBudgetReservations,
  sweepExpiredConsoleSessions,
  sweepExpiredSessions,
} from "@modelfaucet/store";
import { runJobs } from "./run-jobs.js";

export interface WorkerOptions {
  /** Time between two passes of each job. */
  intervalMs: number;
  /** Most items one pass handles. */
  batchSize: number;
}

/**
 * The periodic jobs. Each is safe with several workers running (the ledger
 * claims holds and deltas atomically and resolves a hold once; session
 * deletes and ticket closes are idempotent).
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
        // A local ticket never reported: its fee goes back to the wallet once its grace period is over.
        name: "release-local-tickets",
        intervalMs: options.intervalMs,
        run: () => releaseUnreportedLocalTickets(db, { limit }),
      },
      {
        // Spending-budget reservations of requests never settled or released (a Gateway died): counted from their
        // usage event when the settlement committed, dropped otherwise.
        name: "sweep-budget-reservations",
        intervalMs: options.intervalMs,
        run: () => sweepBudgetReservations(db, { now: new Date(), limit }),
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
      {
        // The dashboard's daily usage: a minute behind now (see refreshUsageRollup for why), a week per pass.
        name: "roll-up-usage",
        intervalMs: options.intervalMs * 10,
        run: async () => ((await refreshUsageRollup(db, { lagSeconds: 60, maxDays: 7 })) === null ? 0 : 1),
      },
      {
        name: "sweep-console-sessions",
        intervalMs: options.intervalMs * 60,
        run: () => sweepExpiredConsoleSessions(db, 86_400, limit),
      },
    ],
    logger,
  );
}
