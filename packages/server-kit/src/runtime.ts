import { describeDatabaseUrl, openDatabase, type Database } from "@modelfaucet/db";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { Config } from "./config/load-config.js";
import { connectInvalidationChannel } from "./auth/connect-invalidation-channel.js";
import { connectRedis } from "./redis.js";

/** What every process shares: the database, the optional Redis connection. */
export interface Runtime {
  db: Database;
  redis: Redis | undefined;
  close(): Promise<void>;
}

/**
 * Opens the database (PostgreSQL when DATABASE_URL is set, else embedded),
 * Redis when configured, and the channel that carries session invalidations
 * (archived apps, revoked sessions) to the other processes.
 */
export async function openRuntime(config: Config, logger: Logger): Promise<Runtime> {
  const db = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.MODELFAUCET_DATA_DIR,
    poolMax: config.DATABASE_POOL_MAX,
    onPoolError: (error) => logger.warn({ err: error }, "database connection lost; the pool reconnects on demand"),
  });
  logger.info(
    {
      database: config.DATABASE_URL
        ? describeDatabaseUrl(config.DATABASE_URL)
        : `embedded:${config.MODELFAUCET_DATA_DIR}`,
    },
    "database opened",
  );
  const redis = config.REDIS_URL ? connectRedis(config.REDIS_URL, logger) : undefined;
  const invalidationChannel = connectInvalidationChannel(db, { redis, databaseUrl: config.DATABASE_URL, logger });
  return {
    db,
    redis,
    async close() {
      await invalidationChannel?.close();
      redis?.disconnect();
      await db.close();
    },
  };
}
