import { resolve } from "node:path";
import type { Database } from "./database.js";
import { embeddedDatabaseDir, ensurePrivateDir } from "./data-dir.js";
import { lockDataDir } from "./data-dir-lock.js";
import { openEmbedded } from "./embedded-database.js";
import { openPostgres } from "./postgres-database.js";

export interface OpenDatabaseOptions {
  /** `postgres://…`; when absent the embedded database is used. */
  databaseUrl?: string | undefined;
  /** The data directory (MODELFAUCET_DATA_DIR); the embedded database is its `data/`. */
  dataDir: string;
  poolMax?: number;
  onPoolError?: (error: Error) => void;
}

/** PostgreSQL when a URL is given, else the embedded database of `dataDir` (locked to this process). */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    return openPostgres({
      url: options.databaseUrl,
      ...(options.poolMax === undefined ? {} : { poolMax: options.poolMax }),
      ...(options.onPoolError ? { onPoolError: options.onPoolError } : {}),
    });
  }
  const dataDir = resolve(options.dataDir);
  const databaseDir = embeddedDatabaseDir(dataDir);
  const unlock = lockDataDir(dataDir);
  try {
    ensurePrivateDir(databaseDir);
    const db = await openEmbedded({ dataDir: databaseDir });
    return {
      ...db,
      async close() {
        try {
          await db.close();
        } finally {
          unlock();
        }
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
}

/** A connection URL with its password masked, for logs and messages. */
export function describeDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "postgres://(unparseable url)";
  }
}
