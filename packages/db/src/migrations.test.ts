import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "./database.js";
import { openEmbedded } from "./embedded-database.js";
import {
  bundledMigrations,
  currentMigrationVersion,
  latestMigrationVersion,
  migrate,
  MigrationChecksumError,
} from "./migrations.js";
import { openPostgres } from "./postgres-database.js";
import { seed } from "./seed.js";
import { createEmptyTestDatabase, testDatabaseTemplate, withDatabaseName } from "./testing/index.js";

/** Two handles on one brand-new, never-migrated database (separate pools on PostgreSQL). */
async function emptyDatabase(): Promise<[Database, Database]> {
  const template = testDatabaseTemplate();
  if (template.kind === "embedded") {
    const db = await openEmbedded();
    return [db, db];
  }
  const url = withDatabaseName(template.adminUrl, await createEmptyTestDatabase(template));
  return [openPostgres({ url, poolMax: 2 }), openPostgres({ url, poolMax: 2 })];
}

let first: Database;
let second: Database;
beforeAll(async () => {
  [first, second] = await emptyDatabase();
});
afterAll(async () => {
  await first.close();
  if (second !== first) await second.close();
});

describe("migrations", () => {
  it("starts at version 0 on a database that was never migrated", async () => {
    expect(await currentMigrationVersion(first)).toBe(0);
  });

  it("applies all migrations once even when two processes migrate at the same moment", async () => {
    const results = await Promise.all([migrate(first), migrate(second)]);
    const applied = results.flatMap((result) => result.applied);
    expect(applied).toEqual(bundledMigrations().map((m) => `${String(m.version).padStart(4, "0")}_${m.name}`));
    expect(await currentMigrationVersion(first)).toBe(latestMigrationVersion());
    const { rows } = await first.query<{ n: string }>("SELECT count(*) AS n FROM schema_migrations");
    expect(Number(rows[0]!.n)).toBe(bundledMigrations().length);
  });

  it("does nothing the second time", async () => {
    expect(await migrate(first)).toEqual({ applied: [], unknown: [] });
  });

  it("refuses to run when an applied migration's file was edited", async () => {
    const edited = bundledMigrations().map((m, i) =>
      i === 0 ? { ...m, sql: m.sql + "\n-- edited", checksum: "0".repeat(64) } : m,
    );
    await expect(migrate(first, edited)).rejects.toBeInstanceOf(MigrationChecksumError);
  });

  it("reports migrations applied by a newer build without failing", async () => {
    await first.query("INSERT INTO schema_migrations (version, name, checksum) VALUES (9999, 'future', 'x')");
    try {
      expect(await migrate(first)).toEqual({ applied: [], unknown: [9999] });
    } finally {
      await first.query("DELETE FROM schema_migrations WHERE version = 9999");
    }
  });

  it("rolls back every statement of a failing migration", async () => {
    const broken = [
      ...bundledMigrations(),
      { version: 9000, name: "broken", sql: "CREATE TABLE half_done (id int); SELECT 1/0;", checksum: "b".repeat(64) },
    ];
    await expect(migrate(first, broken)).rejects.toThrow(/division by zero/);
    const { rows } = await first.query("SELECT 1 FROM pg_tables WHERE tablename = 'half_done'");
    expect(rows).toHaveLength(0);
    expect(await currentMigrationVersion(first)).toBe(latestMigrationVersion());
  });
});

describe("seed", () => {
  const counts = async () => {
    const { rows } = await first.query<{ developers: string; apps: string; features: string }>(
      `SELECT (SELECT count(*) FROM developers) AS developers, (SELECT count(*) FROM apps) AS apps,
              (SELECT count(*) FROM app_features) AS features`,
    );
    return rows[0];
  };

  it("inserts the demo tenant, and changes nothing when run again", async () => {
    expect((await seed(first)).inserted).toBe(12);
    const after = await counts();
    expect((await seed(first)).inserted).toBe(0);
    expect(await counts()).toEqual(after);
  });
});

describe("audit log", () => {
  it("is append-only", async () => {
    await first.query(
      "INSERT INTO audit_logs (actor_type, action, resource_type) VALUES ('system', 'test.append', 'test')",
    );
    await expect(first.query("UPDATE audit_logs SET action = 'x'")).rejects.toThrow(/append-only/);
    await expect(first.query("DELETE FROM audit_logs")).rejects.toThrow(/append-only/);
  });
});

describe("values", () => {
  it("returns int8 and numeric as exact strings on both adapters", async () => {
    const { rows } = await first.query<{ big: unknown; money: unknown }>(
      "SELECT 9007199254740993::int8 AS big, 12345678901234567890123::numeric(38,0) AS money",
    );
    expect(rows[0]).toEqual({ big: "9007199254740993", money: "12345678901234567890123" });
  });

  it("rolls a failed transaction back", async () => {
    await expect(
      first.transaction(async (tx) => {
        await tx.query("INSERT INTO developers (id, name, email) VALUES ('dev_rollback', 'R', 'r@example.com')");
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    const { rows } = await first.query("SELECT 1 FROM developers WHERE id = 'dev_rollback'");
    expect(rows).toHaveLength(0);
  });
});
