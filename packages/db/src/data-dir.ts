import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * A data directory (MODELFAUCET_DATA_DIR, `./.modelfaucet` by default) holds
 * everything a local install keeps, and nothing is written beside it:
 *
 * - `data/`: the embedded database (PGlite);
 * - `lock`: the pid of the process that has that database open;
 * - `admin-token`, `developer-admin-token`, `secret-key`: the secrets
 *   `modelfaucet start` generates when they are not set.
 *
 * It holds secrets, so it is created mode 0700 and the files we write 0600
 * (PGlite makes its own files inside `data/`, itself 0700).
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates a directory of secrets or data, mode 0700, if it does not exist (its parents as usual). */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dirname(dir), { recursive: true });
  try {
    mkdirSync(dir, { mode: PRIVATE_DIR_MODE });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
}

/**
 * Refuses a directory that is itself a database: it was named the old way
 * (the database directory, with the secrets written to its parent). Saying
 * how to move it beats starting an empty database inside it.
 */
export function assertDataDirLayout(dataDir: string): void {
  if (existsSync(join(dataDir, "PG_VERSION"))) {
    throw new Error(
      `${dataDir} is an embedded database itself, but MODELFAUCET_DATA_DIR now names the directory that ` +
        `holds everything: move the database into ${join(dataDir, "data")} (and admin-token, ` +
        `developer-admin-token and secret-key from ${dirname(dataDir)} into ${dataDir})`,
    );
  }
}

/** Where the embedded database of a data directory lives. */
export function embeddedDatabaseDir(dataDir: string): string {
  assertDataDirLayout(dataDir);
  return join(dataDir, "data");
}
