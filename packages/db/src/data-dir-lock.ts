import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { ensurePrivateDir, PRIVATE_FILE_MODE } from "./data-dir.js";

export class DataDirInUseError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `the embedded database in ${dataDir} is already open in process ${pid}; ` +
        `stop it, or set DATABASE_URL to share a PostgreSQL database between processes`,
    );
    this.name = "DataDirInUseError";
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes the lock file when it is still ours. Also runs on process exit, so
 * an exit through `process.exit` (an error, a shutdown timeout) leaves no lock
 * behind; only a kill -9 or a crash does, and the next process takes it over.
 */
function holdLock(lockFile: string): () => void {
  const release = () => {
    process.off("exit", release);
    try {
      if (readFileSync(lockFile, "utf8") === String(process.pid)) rmSync(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  };
  process.on("exit", release);
  return release;
}

/**
 * PGlite files opened by two processes at once get corrupted. A pid file in
 * the data directory makes the second process fail with a clear message; a
 * file left by a process that is no longer alive is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  ensurePrivateDir(dataDir);
  const lockFile = join(dataDir, "lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, "wx", PRIVATE_FILE_MODE);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return holdLock(lockFile);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number(readFileSync(lockFile, "utf8"));
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
        throw new DataDirInUseError(dataDir, holder);
      }
      rmSync(lockFile, { force: true });
    }
  }
  throw new Error(`could not lock ${lockFile}`);
}
