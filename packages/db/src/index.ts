export type { Database, DatabaseKind, QueryResult, Queryable } from "./database.js";
export { openPostgres, type PostgresOptions } from "./postgres-database.js";
export { openEmbedded, type EmbeddedOptions } from "./embedded-database.js";
export { openDatabase, describeDatabaseUrl, type OpenDatabaseOptions } from "./open-database.js";
export { DataDirInUseError } from "./data-dir-lock.js";
export { PRIVATE_FILE_MODE, assertDataDirLayout, ensurePrivateDir } from "./data-dir.js";
export { DatabaseUnavailableError, isConnectionFailure, isDatabaseUnavailable } from "./database-unavailable.js";
export {
  migrate,
  bundledMigrations,
  latestMigrationVersion,
  currentMigrationVersion,
  MigrationChecksumError,
  type Migration,
  type MigrateResult,
} from "./migrations.js";
export { seed, DEMO } from "./seed.js";
export { backupDatabase, restoreDatabase, detectBackupFormat, type BackupTarget, type BackupFormat } from "./backup.js";
