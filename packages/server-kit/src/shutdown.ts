import type { Logger } from "pino";

export interface ShutdownStep {
  name: string;
  close: () => Promise<unknown>;
}

export interface ShutdownOptions {
  logger: Logger;
  /** Longest to wait for in-flight requests (and a boot under way) before exiting anyway. */
  timeoutMs: number;
  /**
   * Closed in order: servers first (stop accepting, drain), then pools. A
   * promise while the process is still booting: a signal then waits for the
   * boot and closes what it opened. A boot that fails closes its own and
   * reports its error, so a rejected promise means nothing is left to close.
   */
  steps: ShutdownStep[] | Promise<ShutdownStep[]>;
}

/**
 * Signals this soon after the first are the same stop delivered twice: a
 * Ctrl-C reaches every process of the terminal's group, and a wrapper in that
 * group (pnpm) passes its own copy on to us as well.
 */
const REPEATED_SIGNAL_MS = 1000;

/** Longest the process may take to end by itself after `shutdown complete`. */
const EXIT_GRACE_MS = 1000;

/**
 * On SIGTERM or SIGINT: stop accepting, let in-flight requests finish, close
 * pools, exit 0. If draining takes longer than `timeoutMs`, exit 1 instead of
 * hanging the orchestrator's restart. A second signal, a second or more after
 * the first, exits at once.
 */
export function installShutdown(options: ShutdownOptions): void {
  const steps = Promise.resolve(options.steps).catch((): ShutdownStep[] => []);
  let firstSignalAt: number | undefined;
  let complete = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (complete) return;
    if (firstSignalAt !== undefined) {
      if (Date.now() - firstSignalAt < REPEATED_SIGNAL_MS) return;
      options.logger.warn({ signal }, "second signal; exiting now");
      process.exit(1);
    }
    firstSignalAt = Date.now();
    options.logger.info({ signal, timeout_ms: options.timeoutMs }, "shutting down");
    const timer = setTimeout(() => {
      options.logger.error("shutdown timed out; exiting with requests still in flight");
      process.exit(1);
    }, options.timeoutMs);
    timer.unref();
    for (const step of await steps) {
      try {
        await step.close();
      } catch (error) {
        options.logger.error({ err: error, step: step.name }, "error while closing");
      }
    }
    clearTimeout(timer);
    complete = true;
    options.logger.info("shutdown complete");
    // The process ends by itself once the log lines still being written are
    // out (exiting on the spot can put the last ones out of order); a handle
    // left open somewhere cannot keep it alive for more than a moment.
    process.exitCode = 0;
    setTimeout(() => process.exit(0), EXIT_GRACE_MS).unref();
  };
  process.on("SIGTERM", (signal) => void shutdown(signal));
  process.on("SIGINT", (signal) => void shutdown(signal));
}
