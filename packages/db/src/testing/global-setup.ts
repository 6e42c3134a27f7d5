import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { openEmbedded } from "../embedded-database.js";
import { migrate } from "../migrations.js";
import { openPostgres } from "../postgres-database.js";
import { seed } from "../seed.js";
import { TEST_DATABASE_PREFIX, withDatabaseName, type TestDatabaseTemplate } from "./template.js";
import { assertRedisReachable } from "./redis-check.js";

/**
 * Migrates and seeds one template database per test run — PGlite takes ~3 s
 * to start and the schema grows — which every test file then copies: an
 * embedded dump loaded in ~0.5 s, or `CREATE DATABASE … TEMPLATE` on
 * PostgreSQL when TEST_DATABASE_URL is set. A server we were told to use but
 * cannot reach fails the run; it is never skipped.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const redisUrl = process.env.TEST_REDIS_URL || null;
  if (redisUrl) await assertRedisReachable(redisUrl);
  project.provide("testRedisUrl", redisUrl);

  const serverUrl = process.env.TEST_DATABASE_URL;
  const template = serverUrl ? await preparePostgres(serverUrl) : await prepareEmbedded();
  project.provide("testDatabase", template);
  return () => cleanup(template);
}

async function prepareEmbedded(): Promise<TestDatabaseTemplate> {
  const db = await openEmbedded();
  try {
    await migrate(db);
    await seed(db);
    const dump = await db.pglite.dumpDataDir("gzip");
    const dir = mkdtempSync(join(tmpdir(), "modelfaucet-test-"));
    const templateFile = join(dir, "template.tar.gz");
    writeFileSync(templateFile, Buffer.from(await dump.arrayBuffer()));
    return { kind: "embedded", templateFile };
  } finally {
    await db.close();
  }
}

async function preparePostgres(adminUrl: string): Promise<TestDatabaseTemplate> {
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(`TEST_DATABASE_URL is set but PostgreSQL cannot be reached: ${(error as Error).message}`);
  }
  const runId = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const templateName = `${TEST_DATABASE_PREFIX}${runId}_tpl`;
  try {
    await dropStaleDatabases(admin);
    await admin.query(`CREATE DATABASE ${templateName}`);
  } finally {
    await admin.end();
  }
  const db = openPostgres({ url: withDatabaseName(adminUrl, templateName), poolMax: 1 });
  try {
    await migrate(db);
    await seed(db);
  } finally {
    await db.close();
  }
  return { kind: "postgres", adminUrl, templateName, runId };
}

// Databases of runs that crashed before their teardown, older than a day.
async function dropStaleDatabases(admin: pg.Client): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [
    `${TEST_DATABASE_PREFIX}%`,
  ]);
  const dayAgo = Date.now() - 86_400_000;
  for (const { datname } of rows) {
    const created = parseInt(datname.slice(TEST_DATABASE_PREFIX.length, TEST_DATABASE_PREFIX.length + 8), 36);
    if (Number.isFinite(created) && created < dayAgo) {
      await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    }
  }
}

async function cleanup(template: TestDatabaseTemplate): Promise<void> {
  if (template.kind === "embedded") {
    rmSync(join(template.templateFile, ".."), { recursive: true, force: true });
    return;
  }
  const admin = new pg.Client({ connectionString: template.adminUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [
      `${TEST_DATABASE_PREFIX}${template.runId}_%`,
    ]);
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
