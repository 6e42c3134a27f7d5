import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Database, Queryable } from "./database.js";

/** One numbered `.sql` file from `packages/db/migrations`. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** SHA-256 of the file (line endings normalised): an applied file must never change. */
  checksum: string;
}

const MIGRATIONS_DIR = fileURLToPath(new URL("../migrations/", import.meta.url));
const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;

// Any constant shared by every ModelFaucet process; it only has to be unique
// among the advisory locks taken on the same database.
const MIGRATION_LOCK_KEY = 7_301_455_001;

let cached: Migration[] | undefined;

/** The migrations shipped with this build, in version order. */
export function bundledMigrations(): Migration[] {
  cached ??= readdirSync(MIGRATIONS_DIR)
    .filter((file) => file.endsWith(".sql"))
    .sort()
    .map((file, index) => {
      const match = FILE_NAME.exec(file);
      if (!match) throw new Error(`migration file name must look like 0001_name.sql: ${file}`);
      const version = Number(match[1]);
      if (version !== index + 1) throw new Error(`migrations must be numbered without gaps: ${file}`);
      const sql = readFileSync(MIGRATIONS_DIR + file, "utf8").replace(/\r\n/g, "\n");
      const checksum = createHash("sha256").update(sql).digest("hex");
      return { version, name: match[2]!, sql, checksum };
    });
  return cached;
}

export function latestMigrationVersion(): number {
  return bundledMigrations().at(-1)?.version ?? 0;
}

export class MigrationChecksumError extends Error {
  constructor(version: number, name: string) {
    super(
      `migration ${String(version).padStart(4, "0")}_${name} was changed after it was applied; ` +
        `applied migrations are immutable — add a new migration instead`,
    );
    this.name = "MigrationChecksumError";
  }
}

export interface MigrateResult {
  applied: string[];
  /** Versions recorded in the database that this build does not know (a newer build migrated it). */
  unknown: number[];
}

const CREATE_TABLE = `
  CREATE TABLE IF NOT EXISTS schema_migrations (
    version     integer PRIMARY KEY,
    name        text NOT NULL,
    checksum    text NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now()
  )`;

/**
 * Applies every pending migration in one transaction under an advisory lock,
 * so processes migrating at once queue up and the second finds nothing to do.
 * Either all pending migrations apply or none does. Before applying, the
 * checksum of every applied migration is compared with the bundled file.
 */
export async function migrate(db: Database, migrations = bundledMigrations()): Promise<MigrateResult> {
  return db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
    await tx.query(CREATE_TABLE);
    const applied = await appliedMigrations(tx);
    const known = new Map(migrations.map((migration) => [migration.version, migration]));
    for (const row of applied) {
      const migration = known.get(row.version);
      if (migration && migration.checksum !== row.checksum) {
        throw new MigrationChecksumError(row.version, row.name);
      }
    }
    const done = new Set(applied.map((row) => row.version));
    const result: MigrateResult = {
      applied: [],
      unknown: applied.filter((row) => !known.has(row.version)).map((row) => row.version),
    };
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      await tx.exec(migration.sql);
      await tx.query("INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)", [
        migration.version,
        migration.name,
        migration.checksum,
      ]);
      result.applied.push(`${String(migration.version).padStart(4, "0")}_${migration.name}`);
    }
    return result;
  });
}

async function appliedMigrations(db: Queryable) {
  const { rows } = await db.query<{ version: number; name: string; checksum: string }>(
    "SELECT version, name, checksum FROM schema_migrations ORDER BY version",
  );
  return rows;
}

/** The highest applied version, or 0 when the database was never migrated. */
export async function currentMigrationVersion(db: Queryable): Promise<number> {
  try {
    const { rows } = await db.query<{ version: number | null }>(
      "SELECT max(version) AS version FROM schema_migrations",
    );
    return rows[0]?.version ?? 0;
  } catch (error) {
    if ((error as { code?: string }).code === UNDEFINED_TABLE) return 0;
    throw error;
  }
}

const UNDEFINED_TABLE = "42P01";
