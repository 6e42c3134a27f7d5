import { migrate, seed } from "@modelfaucet/db";
import type { FastifyInstance } from "fastify";
import type { Config } from "./config/load-config.js";
import { createLogger, type Logger } from "./logger.js";
import { openRuntime, type Runtime } from "./runtime.js";
import { installShutdown } from "./shutdown.js";

export interface ServiceSpec {
  name: string;
  port: number;
  build(deps: { config: Config; logger: Logger } & Runtime): Promise<FastifyInstance>;
}

export interface RunningServices {
  logger: Logger;
  runtime: Runtime;
  urls: Record<string, string>;
}

/**
 * Boots one or more services in this process on one shared runtime: opens the
 * database, migrates it when `migrate` says so (seeding a brand-new one),
 * listens, and drains everything on SIGTERM.
 *
 * PostgreSQL is migrated at boot only by `modelfaucet start`; standalone
 * production processes leave it to `pnpm db:migrate` and report 503 on
 * /ready until it is done. The embedded database belongs to this process
 * alone, so it is always migrated here.
 */
export interface RunOptions {
  migratePostgres: boolean;
  /** Work that runs beside the servers in this process (e.g. the worker); stopped after them on shutdown. */
  background?: (runtime: Runtime, logger: Logger) => Array<{ name: string; close: () => Promise<unknown> }>;
}

export async function runServices(config: Config, specs: ServiceSpec[], options: RunOptions): Promise<RunningServices> {
  const logger = createLogger({ level: config.LOG_LEVEL });
  const runtime = await openRuntime(config, logger);
  if (runtime.db.kind === "embedded" || options.migratePostgres) {
    const result = await migrate(runtime.db);
    if (result.applied.length > 0) logger.info({ applied: result.applied }, "migrations applied");
    if (result.applied.some((name) => name.startsWith("0001_"))) {
      const { inserted } = await seed(runtime.db);
      logger.info({ inserted }, "new database seeded with the demo app");
    }
  }
  const apps: FastifyInstance[] = [];
  const urls: Record<string, string> = {};
  for (const spec of specs) {
    const app = await spec.build({ config, logger, ...runtime });
    await app.listen({ host: config.HOST, port: spec.port });
    apps.push(app);
    urls[spec.name] = `http://${config.HOST.includes(":") ? `[${config.HOST}]` : config.HOST}:${spec.port}`;
  }
  const background = options.background?.(runtime, logger) ?? [];
  installShutdown({
    logger,
    timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    steps: [
      ...apps.map((app, index) => ({ name: specs[index]!.name, close: () => app.close() })),
      ...background,
      { name: "runtime", close: () => runtime.close() },
    ],
  });
  return { logger, runtime, urls };
}
