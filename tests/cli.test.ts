import { spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEmptyTestDatabase, testDatabaseTemplate, withDatabaseName } from "@modelfaucet/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, spawnEntry, stop, waitForStatus, type Spawned } from "./helpers/processes.js";

const CLI = "apps/cli/src/main.ts";
const workDir = mkdtempSync(join(tmpdir(), "modelfaucet-cli-"));
// A parent of its own, so that anything written beside the data directory shows.
const parentDir = join(workDir, "parent");
const dataDir = join(parentDir, "dd2");
const embedded = testDatabaseTemplate().kind === "embedded";
const modeOf = (path: string) => statSync(path).mode & 0o777;
// A start opens (or creates) an embedded database: seconds on an idle 2-core machine, far more on a busy one.
const BOOT_MS = 60_000;

/** The pid of a process that has exited: what a lock left by a killed process holds. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""]);
  await new Promise((resolve) => child.on("exit", resolve));
  return child.pid!;
}

/** Environment for a `modelfaucet start` of this test file: its own ports, data dir, and database on PostgreSQL runs. */
async function startEnv(): Promise<Record<string, string>> {
  const env: Record<string, string> = {
    PORT_API: String(await freePort()),
    PORT_GATEWAY: String(await freePort()),
    MODELFAUCET_DATA_DIR: dataDir,
  };
  const template = testDatabaseTemplate();
  if (template.kind === "postgres") {
    env.DATABASE_URL = withDatabaseName(template.adminUrl, await createEmptyTestDatabase(template));
  }
  return env;
}

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe("modelfaucet start", () => {
  let env: Record<string, string>;
  let running: Spawned;

  beforeAll(async () => {
    env = await startEnv();
    running = spawnEntry(CLI, ["start"], env);
    await waitForStatus(`http://127.0.0.1:${env.PORT_API}/ready`, 200, BOOT_MS);
  }, BOOT_MS + 10_000);
  afterAll(() => stop(running));

  it("serves /ready 200 on the API and the Gateway, and prints the URLs and a first curl", async () => {
    await waitForStatus(`http://127.0.0.1:${env.PORT_GATEWAY}/ready`, 200);
    const ready = await (await fetch(`http://127.0.0.1:${env.PORT_API}/ready`)).json();
    expect(ready).toMatchObject({ status: "ready", gateway_base_url: `http://127.0.0.1:${env.PORT_GATEWAY}/v1` });
    const output = running.output();
    expect(output).toContain(`http://127.0.0.1:${env.PORT_API}`);
    expect(output).toContain(`curl -s http://127.0.0.1:${env.PORT_API}/ready`);
  });

  it("lets the admin token it generated reach the admin routes", async () => {
    const token = /Admin token {2}in (\S+)/.exec(running.output())?.[1];
    expect(token).toBeDefined();
    const response = await fetch(`http://127.0.0.1:${env.PORT_API}/v1/admin/developers`, {
      headers: { authorization: `Bearer ${readFileSync(token!, "utf8").trim()}` },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { items: Array<{ id: string }> };
    expect(body.items.map((d) => d.id)).toContain("dev_demo");
  });

  it("keeps the database, its lock and the generated secrets inside MODELFAUCET_DATA_DIR, readable by its owner only", () => {
    expect(readdirSync(parentDir)).toEqual(["dd2"]);
    expect(modeOf(dataDir)).toBe(0o700);
    const files = ["admin-token", "developer-admin-token", "secret-key", ...(embedded ? ["lock"] : [])];
    expect(readdirSync(dataDir).sort()).toEqual([...files, ...(embedded ? ["data"] : [])].sort());
    for (const file of files) expect(modeOf(join(dataDir, file)), file).toBe(0o600);
    if (embedded) {
      expect(modeOf(join(dataDir, "data"))).toBe(0o700);
      expect(readFileSync(join(dataDir, "lock"), "utf8")).toBe(String(running.child.pid));
    }
  });

  it.runIf(embedded)("refuses a second process on the same embedded data directory", async () => {
    const second = spawnEntry(CLI, ["start"], {
      ...env,
      PORT_API: String(await freePort()),
      PORT_GATEWAY: String(await freePort()),
    });
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(/already open in process \d+/);
  });

  it(
    "exits 0 on SIGTERM leaving no lock, and restarts over a dead process's lock without re-seeding",
    {
      timeout: BOOT_MS + 10_000,
    },
    async () => {
      expect(await stop(running)).toBe(0);
      expect(readdirSync(dataDir)).not.toContain("lock");
      expect(readdirSync(parentDir)).toEqual(["dd2"]);
      if (embedded) writeFileSync(join(dataDir, "lock"), String(await deadPid()));
      running = spawnEntry(CLI, ["start"], env);
      await waitForStatus(`http://127.0.0.1:${env.PORT_API}/ready`, 200, BOOT_MS);
      expect(running.output()).not.toContain("seeded");
    },
  );
});

describe("configuration errors", () => {
  it.each([
    [{ PORT_API: "abc" }, "PORT_API"],
    [{ API_RATE_LIMIT_WINDOW_MS: "soon" }, "API_RATE_LIMIT_WINDOW_MS"],
    [{ NODE_ENV: "production" }, "API_CORS_ORIGINS"],
    [
      { NODE_ENV: "production", API_CORS_ORIGINS: "https://a.example.com", GATEWAY_CORS_ORIGINS: "*" },
      "GATEWAY_CORS_ORIGINS",
    ],
  ])("%j stops the process with one line naming %s", async (bad, variable) => {
    const run = spawnEntry(CLI, ["start"], { MODELFAUCET_DATA_DIR: join(workDir, "never"), ...bad });
    expect(await run.exited).toBe(1);
    const lines = run.output().trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^modelfaucet: invalid configuration: ${variable}: `));
  });
});

describe("refusals before anything is written", () => {
  it("a taken port stops start with one line naming the port and its variable, and creates no data directory", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const { port } = blocker.address() as { port: number };
    const dir = join(workDir, "port-taken");
    try {
      const run = spawnEntry(CLI, ["start"], {
        MODELFAUCET_DATA_DIR: dir,
        PORT_API: String(await freePort()),
        PORT_GATEWAY: String(port),
      });
      expect(await run.exited).toBe(1);
      expect(run.output().trim()).toBe(
        `modelfaucet: port ${port} on 127.0.0.1 (PORT_GATEWAY) is already in use; ` +
          "stop what uses it, or set PORT_GATEWAY to a free port",
      );
      expect(existsSync(dir)).toBe(false);
    } finally {
      blocker.close();
    }
  });

  it("a data directory that is a database itself (the old meaning) is refused, saying where to move it", async () => {
    const old = join(workDir, "old-layout");
    mkdirSync(old);
    writeFileSync(join(old, "PG_VERSION"), "18\n");
    const run = spawnEntry(CLI, ["start"], {
      MODELFAUCET_DATA_DIR: old,
      PORT_API: String(await freePort()),
      PORT_GATEWAY: String(await freePort()),
    });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain(`move the database into ${join(old, "data")}`);
    expect(readdirSync(old)).toEqual(["PG_VERSION"]);
  });
});

describe.runIf(embedded)("modelfaucet db (embedded)", () => {
  // Six processes, each opening the embedded database: ~15 s on an idle 2-core machine, more under load.
  it("migrates, seeds idempotently, backs up and restores through the CLI", { timeout: 120_000 }, async () => {
    const dir = join(workDir, "cli-db");
    const run = async (dataDirectory: string, ...args: string[]) => {
      const spawned = spawnEntry(CLI, ["db", ...args], { MODELFAUCET_DATA_DIR: dataDirectory });
      const code = await spawned.exited;
      return { code, output: spawned.output() };
    };
    expect(await run(dir, "migrate")).toMatchObject({
      code: 0,
      output: expect.stringContaining("applied: 0001_initial"),
    });
    expect(await run(dir, "seed")).toMatchObject({ code: 0, output: expect.stringContaining("seeded 12 rows") });
    expect(await run(dir, "seed")).toMatchObject({ code: 0, output: expect.stringContaining("nothing changed") });
    const file = join(workDir, "cli-backup.tar.gz");
    expect((await run(dir, "backup", "--out", file)).code).toBe(0);
    const restored = join(workDir, "cli-restored");
    expect((await run(dir, "restore", file, "--data-dir", restored)).code).toBe(0);
    expect(readdirSync(restored)).toEqual(["data"]);
    // Migrating again finds nothing to do: on the restored copy, which saves a process start.
    expect(await run(restored, "migrate")).toMatchObject({
      code: 0,
      output: expect.stringContaining("already up to date"),
    });
  });
});
