import type { Database } from "@modelfaucet/db";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { InvalidationChannel } from "./invalidation-message.js";
import { connectPostgresInvalidationChannel } from "./postgres-invalidation-channel.js";
import { connectRedisInvalidationChannel } from "./redis-invalidation-channel.js";
import { sessionInvalidationsOf } from "./session-invalidations.js";

/**
 * Shares the session invalidations of `db` with the other processes: over
 * Redis pub/sub when there is Redis, else over PostgreSQL LISTEN/NOTIFY. The
 * embedded database belongs to one process, where invalidations need no
 * channel (undefined).
 */
export function connectInvalidationChannel(
  db: Database,
  options: { redis: Redis | undefined; databaseUrl: string | undefined; logger: Logger },
): InvalidationChannel | undefined {
  const invalidations = sessionInvalidationsOf(db);
  if (options.redis) return connectRedisInvalidationChannel(invalidations, options.redis, options.logger);
  if (db.kind === "postgres" && options.databaseUrl) {
    return connectPostgresInvalidationChannel(invalidations, db, options.databaseUrl, options.logger);
  }
  return undefined;
}
