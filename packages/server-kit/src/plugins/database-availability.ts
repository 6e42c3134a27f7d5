import { isDatabaseUnavailable, type Database } from "@modelfaucet/db";
import type { FastifyBaseLogger } from "fastify";

/** How often a process that saw the database go away asks whether it is back. */
const DEFAULT_PROBE_INTERVAL_MS = 1000;

/** Seconds a client is told to wait (Retry-After) while the database is unavailable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * Whether the database answers, as this process last saw it. An outage is
 * logged once when it starts and once when it ends — never per request, so
 * a minute without PostgreSQL is two log lines, not thousands.
 */
export interface DatabaseAvailability {
  /** Something met the database unreachable (a DatabaseUnavailableError); other errors are ignored. */
  failed(error: unknown): void;
  /** The database answered a query. */
  answered(): void;
  /** Stops watching (the server is closing). */
  close(): void;
}

/**
 * Tracks the database's availability for one service. While it is down, a
 * probe (`SELECT 1`) runs every `probeIntervalMs` so the end of the outage is
 * noticed even when no request and no readiness check comes.
 */
export function watchDatabaseAvailability(
  db: Database,
  log: FastifyBaseLogger,
  options: { probeIntervalMs?: number } = {},
): DatabaseAvailability {
  const probeIntervalMs = options.probeIntervalMs ?? DEFAULT_PROBE_INTERVAL_MS;
  let downSince: number | undefined;
  let probe: NodeJS.Timeout | undefined;
  let closed = false;

  const answered = () => {
    if (downSince === undefined) return;
    log.info({ outage_ms: Date.now() - downSince }, "database available again");
    downSince = undefined;
  };

  const scheduleProbe = () => {
    if (closed || probe) return;
    probe = setTimeout(() => {
      db.query("SELECT 1")
        .then(answered, (error: unknown) => {
          // Anything else (the pool closed at shutdown) ends the watch; the next request reports afresh.
          if (!isDatabaseUnavailable(error)) downSince = undefined;
        })
        .finally(() => {
          probe = undefined;
          if (downSince !== undefined) scheduleProbe();
        });
    }, probeIntervalMs);
    probe.unref();
  };

  return {
    failed(error) {
      if (!isDatabaseUnavailable(error) || downSince !== undefined) return;
      downSince = Date.now();
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
      log.warn({ cause }, "database unavailable; answering 503 service_unavailable until it is back");
      scheduleProbe();
    },
    answered,
    close() {
      closed = true;
      clearTimeout(probe);
    },
  };
}
