import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { embeddedDatabaseDir, ensurePrivateDir } from "./data-dir.js";
import { lockDataDir } from "./data-dir-lock.js";
import { openEmbedded } from "./embedded-database.js";

/** Where a backup is taken from or restored into: PostgreSQL by URL, or the embedded database of a data directory. */
export type BackupTarget = { databaseUrl: string } | { dataDir: string };

export type BackupFormat = "pg_dump_custom" | "pglite_tar_gz";

/**
 * Splits the password out of a URL so it reaches pg_dump / pg_restore through
 * PGPASSWORD rather than the command line, where `ps` would show it.
 */
function libpqArgs(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = "";
  return { dbname: parsed.toString(), env: password ? { ...process.env, PGPASSWORD: password } : process.env };
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "inherit", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "ENOENT"
          ? new Error(`${command} was not found on PATH; install the PostgreSQL client tools`)
          : error,
      ),
    );
    child.on("exit", (code) =>
      code === 0 ? resolvePromise() : reject(new Error(`${command} exited with ${code}: ${stderr.trim()}`)),
    );
  });
}

/** Recognises a backup file by its first bytes. */
export async function detectBackupFormat(file: string): Promise<BackupFormat> {
  const head = (await readFile(file)).subarray(0, 5);
  if (head.toString("latin1") === "PGDMP") return "pg_dump_custom";
  if (head[0] === 0x1f && head[1] === 0x8b) return "pglite_tar_gz";
  throw new Error(`${file} is neither a pg_dump custom-format archive nor an embedded database backup`);
}

/**
 * PostgreSQL: `pg_dump --format=custom` (restorable with pg_restore, selectively
 * if need be). Embedded: PGlite's own `dumpDataDir`, a gzipped tarball of the
 * data directory taken while the database is open and consistent.
 */
export async function backupDatabase(source: BackupTarget, file: string): Promise<BackupFormat> {
  if ("databaseUrl" in source) {
    const { dbname, env } = libpqArgs(source.databaseUrl);
    await run(
      "pg_dump",
      ["--format=custom", "--no-owner", "--no-privileges", `--file=${file}`, `--dbname=${dbname}`],
      env,
    );
    return "pg_dump_custom";
  }
  const dataDir = resolve(source.dataDir);
  const databaseDir = embeddedDatabaseDir(dataDir);
  if (!existsSync(databaseDir)) throw new Error(`no embedded database in ${dataDir}`);
  const unlock = lockDataDir(dataDir);
  try {
    const db = await openEmbedded({ dataDir: databaseDir });
    try {
      const dump = await db.pglite.dumpDataDir("gzip");
      await writeFile(file, Buffer.from(await dump.arrayBuffer()));
    } finally {
      await db.close();
    }
  } finally {
    unlock();
  }
  return "pglite_tar_gz";
}

/**
 * Restores into a database that must be new: an existing empty PostgreSQL
 * database, or a data directory that has no embedded database yet. Restoring
 * over live data is refused — restore beside it, check it, then switch over.
 */
export async function restoreDatabase(file: string, target: BackupTarget): Promise<void> {
  const format = await detectBackupFormat(file);
  if ("databaseUrl" in target) {
    if (format !== "pg_dump_custom") throw new Error(`${file} is an embedded backup; restore it with --data-dir`);
    const { dbname, env } = libpqArgs(target.databaseUrl);
    await run(
      "pg_restore",
      ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", `--dbname=${dbname}`, file],
      env,
    );
    return;
  }
  if (format !== "pglite_tar_gz") throw new Error(`${file} is a pg_dump archive; restore it with --database-url`);
  const dataDir = resolve(target.dataDir);
  const databaseDir = embeddedDatabaseDir(dataDir);
  if (existsSync(databaseDir) && readdirSync(databaseDir).length > 0) {
    throw new Error(`${dataDir} already holds a database (${databaseDir} is not empty); restore into a new directory`);
  }
  const unlock = lockDataDir(dataDir);
  try {
    ensurePrivateDir(databaseDir);
    const db = await openEmbedded({ dataDir: databaseDir, loadDataDir: new Blob([await readFile(file)]) });
    await db.close();
  } finally {
    unlock();
  }
}
