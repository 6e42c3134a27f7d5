import { migrate, seed } from "@modelfaucet/db";
import type { FastifyInstance } from "fastify";
import { assertPortsFree } from "./assert-ports-free.js";
import type { Config } from "./config/load-config.js";
import { createLogger, type Logger } from "./logger.js";
import { openRuntime, type Runtime } from "./runtime.js";
import { installShutdown, type ShutdownStep } from "./shutdown.js";

export interface ServiceSpec {
  name: string;
  /** The setting that holds this service's port. */
  portVariable: "PORT_API" | "PORT_GATEWAY";
  build(deps: { config: Config; logger: Logger } & Runtime): Promise<FastifyInstance>;
}

export interface RunningServices {
  logger: Logger;
  runtime: Runtime;
  urls: Record<string, string>;
}

export interface RunOptions {
  migratePostgres: boolean;
  /** Work that runs beside the servers in this process (e.g. the worker); stopped after them on shutdown. */
  background?: (runtime: Runtime, logger: Logger) => ShutdownStep[];
}

/**
 * Boots one or more services in this process on one shared runtime: checks
 * that their ports are free, opens the database, migrates it when `migrate`
 * says so (seeding a brand-new one), listens, and drains everything on
 * SIGTERM or SIGINT — also one that arrives while booting.
 *
 * PostgreSQL is migrated at boot only by `modelfaucet start`; standalone
 * production processes leave it to `pnpm db:migrate` and report 503 on
 * /ready until it is done. The embedded database belongs to this process
 * alone, so it is always migrated here.
 */
export async function runServices(config: Config, specs: ServiceSpec[], options: RunOptions): Promise<RunningServices> {
  const logger = createLogger({ level: config.LOG_LEVEL });
  await assertPortsFree(
    config.HOST,
    specs.map((spec) => ({ variable: spec.portVariable, port: config[spec.portVariable] })),
  );
  const booting = boot(config, specs, options, logger);
  installShutdown({ logger, timeoutMs: config.SHUTDOWN_TIMEOUT_MS, steps: booting.then(({ steps }) => steps) });
  const { runtime, urls } = await booting;
  return { logger, runtime, urls };
}

/** Opens, migrates and listens; on a failure closes what it had opened before passing the error on. */
async function boot(
  config: Config,
  specs: ServiceSpec[],
  options: RunOptions,
  logger: Logger,
): Promise<{ runtime: Runtime; urls: Record<string, string>; steps: ShutdownStep[] }> {
  const runtime = await openRuntime(config, logger);
  const closeRuntime: ShutdownStep = { name: "runtime", close: () => runtime.close() };
  const steps: ShutdownStep[] = [];
  const urls: Record<string, string> = {};
  try {
    if (runtime.db.kind === "embedded" || options.migratePostgres) {
      const result = await migrate(runtime.db);
      if (result.applied.length > 0) logger.info({ applied: result.applied }, "migrations applied");
      if (result.applied.some((name) => name.startsWith("0001_"))) {
        const { inserted } = await seed(runtime.db);
        logger.info({ inserted }, "new database seeded with the demo app");
      }
    }
    for (const spec of specs) {
      const app = await spec.build({ config, logger, ...runtime });
      steps.push({ name: spec.name, close: () => app.close() });
      const port = config[spec.portVariable];
      await app.listen({ host: config.HOST, port });
      urls[spec.name] = `http://${config.HOST.includes(":") ? `[${config.HOST}]` : config.HOST}:${port}`;
    }
    steps.push(...(options.background?.(runtime, logger) ?? []));
  } catch (error) {
    await closeAll([...steps, closeRuntime], logger);
    throw error;
  }
  return { runtime, urls, steps: [...steps, closeRuntime] };
}

async function closeAll(steps: ShutdownStep[], logger: Logger): Promise<void> {
  for (const step of steps) {
    await step.close().catch((error: unknown) => logger.warn({ err: error, step: step.name }, "error while closing"));
  }
}
