import { createLogger, installShutdown, loadConfigOrExit, openRuntime } from "@modelfaucet/server-kit";
import { startWorker } from "./start-worker.js";

// Standalone worker for production: `node --import tsx apps/worker/src/main.ts`. Run one or several.
const config = loadConfigOrExit();
const logger = createLogger({ level: config.LOG_LEVEL });
const runtime = await openRuntime(config, logger);
const stop = startWorker(runtime.db, logger, { intervalMs: config.WORKER_INTERVAL_MS, batchSize: 1000 });
logger.info({ interval_ms: config.WORKER_INTERVAL_MS }, "worker started");
installShutdown({
  logger,
  timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  steps: [
    { name: "jobs", close: stop },
    { name: "runtime", close: () => runtime.close() },
  ],
});
