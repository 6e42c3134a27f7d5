import { readFile } from "node:fs/promises";
import pg from "pg";
import { inject } from "vitest";
import type { Database } from "../database.js";
import { openEmbedded } from "../embedded-database.js";
import { openPostgres } from "../postgres-database.js";
import { withDatabaseName, type TestDatabaseTemplate } from "./template.js";

declare module "vitest" {
  export interface ProvidedContext {
    testDatabase: TestDatabaseTemplate;
    testRedisUrl: string | null;
  }
}

export interface TestDatabase {
  db: Database;
  /** Set on PostgreSQL runs, so a test can point another process at the same database. */
  databaseUrl: string | undefined;
}

let counter = 0;

/**
 * A fresh, migrated and seeded database of its own for the calling test file:
 * embedded by default, on the server of TEST_DATABASE_URL when it is set.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = inject("testDatabase");
  if (template.kind === "embedded") {
    const db = await openEmbedded({ loadDataDir: new Blob([await readFile(template.templateFile)]) });
    return { db, databaseUrl: undefined };
  }
  const name = await createEmptyTestDatabase(template, template.templateName);
  const databaseUrl = withDatabaseName(template.adminUrl, name);
  return { db: openPostgres({ url: databaseUrl, poolMax: 5 }), databaseUrl };
}

/**
 * A new PostgreSQL database of this run (dropped at the end of the run): a copy
 * of `templateName`, or empty when it is "template0". Only on PostgreSQL runs.
 */
export async function createEmptyTestDatabase(
  template: Extract<TestDatabaseTemplate, { kind: "postgres" }>,
  templateName = "template0",
): Promise<string> {
  const name = `${template.templateName.replace(/_tpl$/, "")}_${process.pid}_${++counter}`;
  const admin = new pg.Client({ connectionString: template.adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${templateName}`);
  } finally {
    await admin.end();
  }
  return name;
}

/** The test run's template, for tests that make databases of their own. */
export function testDatabaseTemplate(): TestDatabaseTemplate {
  return inject("testDatabase");
}

/** TEST_REDIS_URL when the run was told to use Redis, else null (in-memory limits). */
export function testRedisUrl(): string | null {
  return inject("testRedisUrl");
}

export { withDatabaseName, type TestDatabaseTemplate } from "./template.js";
