import { link, mkdir, readFile, rename, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** The lock file: which process owns the data directory's queue, and where it listens. */
export const LOCK_FILE = "bridge.lock";

/** What the lock file says. `url` is the running bridge's address (null for a CLI command holding the lock). */
export interface LockOwner {
  pid: number;
  url: string | null;
  started_at: string;
}

/** The queue is owned by another live process. */
export class DataDirBusyError extends Error {
  override name = "DataDirBusyError";
  constructor(
    readonly owner: LockOwner,
    lockPath: string,
  ) {
    super(
      `${lockPath} is held by process ${owner.pid}${owner.url ? ` (a bridge on ${owner.url})` : ""}; ` +
        "stop it first, or delete the file if that process is not a bridge",
    );
  }
}

/**
 * Exclusive ownership of a data directory's queue: one process appends to
 * the log at a time (a running bridge, or a `queue` command when none runs).
 * The file is created with its content in one step (written aside, then
 * hard-linked into place, which fails if it exists), so a reader never sees
 * it empty. A lock left by a process that died (`kill -9`) is taken over
 * (two processes taking over the same dead lock in the same instant could
 * both succeed: a pid lock's known limit, harmless for one user's bridge).
 */
export class DataDirLock {
  readonly #dataDir: string;
  readonly #path: string;
  #owner: LockOwner;

  private constructor(dataDir: string, owner: LockOwner) {
    this.#dataDir = dataDir;
    this.#path = join(dataDir, LOCK_FILE);
    this.#owner = owner;
  }

  static async acquire(dataDir: string): Promise<DataDirLock> {
    const path = join(dataDir, LOCK_FILE);
    // A first run's directory (the default ~/.modelfaucet-bridge included) does not exist yet.
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const owner: LockOwner = { pid: process.pid, url: null, started_at: new Date().toISOString() };
    for (let attempt = 0; ; attempt += 1) {
      const held = await readLockOwner(dataDir);
      if (held !== undefined && isAlive(held.pid)) throw new DataDirBusyError(held, path);
      if (held !== undefined || attempt > 0) await unlink(path).catch(ignoreMissing);
      try {
        await createWithContent(path, owner);
        return new DataDirLock(dataDir, owner);
      } catch (error) {
        // Another process created it between our read and our link: look again, once.
        if ((error as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 0) throw error;
      }
    }
  }

  /** Records where this process listens, for `queue` commands to reach it. */
  async setUrl(url: string): Promise<void> {
    this.#owner = { ...this.#owner, url };
    const aside = `${this.#path}.${process.pid}`;
    await writeFile(aside, JSON.stringify(this.#owner), { mode: 0o600 });
    await rename(aside, this.#path);
  }

  async release(): Promise<void> {
    const held = await readLockOwner(this.#dataDir);
    if (held?.pid === process.pid) await unlink(this.#path).catch(ignoreMissing);
  }
}

/** The owner the lock file names, if it exists and can be read. */
export async function readLockOwner(dataDir: string): Promise<LockOwner | undefined> {
  try {
    const owner = JSON.parse(await readFile(join(dataDir, LOCK_FILE), "utf8")) as Partial<LockOwner>;
    if (!Number.isSafeInteger(owner.pid)) return undefined;
    return { pid: owner.pid as number, url: owner.url ?? null, started_at: owner.started_at ?? "" };
  } catch {
    return undefined;
  }
}

/** The running bridge that owns `dataDir`, if one does. */
export async function runningBridge(dataDir: string): Promise<LockOwner | undefined> {
  const owner = await readLockOwner(dataDir);
  return owner !== undefined && owner.url !== null && isAlive(owner.pid) ? owner : undefined;
}

/** Whether a process with this id exists (EPERM: it does, under another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function createWithContent(path: string, owner: LockOwner): Promise<void> {
  const aside = `${path}.${process.pid}`;
  await writeFile(aside, JSON.stringify(owner), { mode: 0o600 });
  try {
    await link(aside, path);
  } finally {
    await unlink(aside).catch(ignoreMissing);
  }
}

function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== "ENOENT") throw error;
}
