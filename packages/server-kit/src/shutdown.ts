import type { Logger } from "pino";

export interface ShutdownOptions {
  logger: Logger;
  /** Longest to wait for in-flight requests before exiting anyway. */
  timeoutMs: number;
  /** Closed in order: servers first (stop accepting, drain), then pools. */
  steps: Array<{ name: string; close: () => Promise<unknown> }>;
}

/**
 * On SIGTERM or SIGINT: stop accepting, let in-flight requests finish, close
 * pools, exit 0. If draining takes longer than `timeoutMs`, exit 1 instead of
 * hanging the orchestrator's restart. A second signal exits at once.
 */
export function installShutdown(options: ShutdownOptions): void {
  let shuttingDown = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (shuttingDown) {
      options.logger.warn({ signal }, "second signal; exiting now");
      process.exit(1);
    }
    shuttingDown = true;
    options.logger.info({ signal, timeout_ms: options.timeoutMs }, "shutting down");
    const timer = setTimeout(() => {
      options.logger.error("shutdown timed out; exiting with requests still in flight");
      process.exit(1);
    }, options.timeoutMs);
    timer.unref();
    for (const step of options.steps) {
      try {
        await step.close();
      } catch (error) {
        options.logger.error({ err: error, step: step.name }, "error while closing");
      }
    }
    options.logger.info("shutdown complete");
    options.logger.flush();
    process.exit(0);
  };
  process.on("SIGTERM", (signal) => void shutdown(signal));
  process.on("SIGINT", (signal) => void shutdown(signal));
}
