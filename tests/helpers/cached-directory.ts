import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Where test files keep what they build once per inputs hash (packed
 * tarballs, their installs, Vite builds of test pages): under the OS temp
 * directory, outside the workspace, so an installed package can never
 * resolve a module from the workspace's node_modules by walking up.
 */
export const TEST_CACHE_DIR = join(tmpdir(), "modelfaucet-test-cache");

/** An entry nobody used for this long is removed when the next one is made. */
const UNUSED_AFTER_MS = 3 * 86_400_000;
/** A lock held this long belongs to a process that hung or was killed: it is broken. */
const LOCK_STALE_MS = 10 * 60_000;
const POLL_MS = 200;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The directory `TEST_CACHE_DIR/<name>`, made by `make` the first time any
 * process asks for it and reused from then on. `name` must carry the hash
 * of everything `make` reads. Concurrent test files (vitest workers, or
 * two runs) wait on one lock: one of them makes it, the others then reuse
 * it. The directory counts as made only once `make` returned (a
 * `<name>.done` stamp beside it); a half-made one is removed and made again.
 */
export async function cachedDirectory(name: string, make: (dir: string) => Promise<void>): Promise<string> {
  const dir = join(TEST_CACHE_DIR, name);
  const done = `${dir}.done`;
  if (existsSync(done)) return touched(dir, done);
  await mkdir(TEST_CACHE_DIR, { recursive: true });
  const lock = `${dir}.lock`;
  await acquire(lock);
  try {
    if (existsSync(done)) return touched(dir, done);
    await removeUnused();
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir);
    try {
      await make(dir);
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
    await writeFile(done, new Date().toISOString());
    return dir;
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

/** Marks the entry as used now (for removeUnused), and returns it. */
async function touched(dir: string, done: string): Promise<string> {
  const now = new Date();
  await utimes(done, now, now).catch(() => undefined);
  return dir;
}

/** A lock is a directory (mkdir is atomic) holding the owner's pid. */
async function acquire(lock: string): Promise<void> {
  for (;;) {
    try {
      await mkdir(lock);
      await writeFile(join(lock, "pid"), String(process.pid));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    if (await isStale(lock)) await rm(lock, { recursive: true, force: true });
    else await sleep(POLL_MS);
  }
}

async function isStale(lock: string): Promise<boolean> {
  const since = await stat(lock).then(
    (found) => Date.now() - found.mtimeMs,
    () => 0,
  );
  if (since > LOCK_STALE_MS) return true;
  const pid = Number(await readFile(join(lock, "pid"), "utf8").catch(() => ""));
  // No pid yet: the owner is between mkdir and writing it.
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/** Removes the entries (and their stamps) of inputs nobody has used for days: old commits' builds. */
async function removeUnused(): Promise<void> {
  for (const entry of await readdir(TEST_CACHE_DIR)) {
    if (!entry.endsWith(".done")) continue;
    const used = await stat(join(TEST_CACHE_DIR, entry)).catch(() => undefined);
    if (!used || Date.now() - used.mtimeMs < UNUSED_AFTER_MS) continue;
    await rm(join(TEST_CACHE_DIR, entry));
    await rm(join(TEST_CACHE_DIR, entry.slice(0, -".done".length)), { recursive: true, force: true });
  }
}
