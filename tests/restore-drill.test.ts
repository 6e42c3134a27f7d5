import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  backupDatabase,
  migrate,
  openDatabase,
  openPostgres,
  restoreDatabase,
  seed,
  type BackupTarget,
  type Database,
} from "@modelfaucet/db";
import {
  createEmptyTestDatabase,
  createTestDatabase,
  testDatabaseTemplate,
  withDatabaseName,
} from "@modelfaucet/db/testing";
import { afterAll, describe, expect, it } from "vitest";
import { spawnEntry } from "./helpers/processes.js";
import { ADMIN_TOKEN, testApi } from "./helpers/services.js";

const workDir = mkdtempSync(join(tmpdir(), "modelfaucet-drill-"));
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  rmSync(workDir, { recursive: true, force: true });
});

/** The live database of the drill: file-backed embedded, or a PostgreSQL database of this run. */
async function liveDatabase(): Promise<{ db: Database; source: BackupTarget }> {
  const template = testDatabaseTemplate();
  if (template.kind === "postgres") {
    const { db, databaseUrl } = await createTestDatabase();
    return { db, source: { databaseUrl: databaseUrl! } };
  }
  const dataDir = join(workDir, "live");
  const db = await openDatabase({ dataDir });
  await migrate(db);
  await seed(db);
  return { db, source: { dataDir } };
}

/** A brand-new, empty restore target of the same kind. */
async function restoreTarget(): Promise<{ target: BackupTarget; open: () => Promise<Database> }> {
  const template = testDatabaseTemplate();
  if (template.kind === "postgres") {
    const url = withDatabaseName(template.adminUrl, await createEmptyTestDatabase(template));
    return { target: { databaseUrl: url }, open: async () => openPostgres({ url, poolMax: 2 }) };
  }
  const dataDir = join(workDir, "restored");
  return { target: { dataDir }, open: () => openDatabase({ dataDir }) };
}

describe("restore drill", () => {
  it("backs up, restores into a fresh database, and the API serves the same data from it", async () => {
    const live = await liveDatabase();
    const api = await testApi(live.db);
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const created: Array<{ id: string }> = [];
    for (const name of ["Ada", "Grace", "Zoë ünïcode"]) {
      const response = await api.inject({
        method: "POST",
        url: "/v1/admin/developers",
        headers: auth,
        payload: { name, email: `${created.length}-${Date.now()}@example.com` },
      });
      expect(response.statusCode).toBe(201);
      created.push(response.json<{ id: string }>());
    }
    const before = (await api.inject({ url: "/v1/admin/developers", headers: auth })).json();
    await api.close();
    // The embedded database is a directory one process owns: close it before the backup opens it.
    if ("dataDir" in live.source) await live.db.close();
    else cleanups.push(() => live.db.close());

    const file = join(workDir, "backup.bin");
    await backupDatabase(live.source, file);

    const { target, open } = await restoreTarget();
    await restoreDatabase(file, target);
    const restored = await open();
    const restoredApi = await testApi(restored);
    const ready = await restoredApi.inject({ url: "/ready" });
    expect(ready.statusCode).toBe(200);
    const after = (await restoredApi.inject({ url: "/v1/admin/developers", headers: auth })).json();
    expect(after).toEqual(before);
    expect(after.items.map((d: { id: string }) => d.id)).toEqual(expect.arrayContaining(created.map((d) => d.id)));
    const audit = await restored.query("SELECT count(*)::int AS n FROM audit_logs WHERE action = 'developer.create'");
    expect(audit.rows[0]).toEqual({ n: 3 });
    // The restored database keeps working: migrations current, writes accepted.
    expect(await migrate(restored)).toEqual({ applied: [], unknown: [] });
    const write = await restoredApi.inject({
      method: "POST",
      url: "/v1/admin/developers",
      headers: auth,
      payload: { name: "After restore", email: `after-${Date.now()}@example.com` },
    });
    expect(write.statusCode).toBe(201);
    await restoredApi.close();
    await restored.close();

    // The seed page's last step: the revenue loop runs on the restored database.
    const smoke = spawnEntry("apps/cli/src/main.ts", ["smoke"], {
      ...("databaseUrl" in target ? { DATABASE_URL: target.databaseUrl } : { MODELFAUCET_DATA_DIR: target.dataDir }),
    });
    expect(await smoke.exited, smoke.output()).toBe(0);
    expect(smoke.output()).toContain("reconciliation: zero");
  });

  it("refuses to restore over a database that already has data, and leaves it untouched", async () => {
    const file = join(workDir, "backup.bin");
    const template = testDatabaseTemplate();
    if (template.kind === "postgres") {
      const { db, databaseUrl } = await createTestDatabase();
      cleanups.push(() => db.close());
      const count = async () => (await db.query("SELECT count(*)::int AS n FROM developers")).rows[0];
      const before = await count();
      await expect(restoreDatabase(file, { databaseUrl: databaseUrl! })).rejects.toThrow(/pg_restore/);
      expect(await count()).toEqual(before);
    } else {
      await expect(restoreDatabase(file, { dataDir: join(workDir, "live") })).rejects.toThrow(/not empty/);
    }
  });
});
