import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEmptyTestDatabase, testDatabaseTemplate, withDatabaseName } from "@modelfaucet/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, spawnEntry, stop, waitForStatus, type Spawned } from "./helpers/processes.js";

const CLI = "apps/cli/src/main.ts";
const workDir = mkdtempSync(join(tmpdir(), "modelfaucet-cli-"));
const dataDir = join(workDir, "data");

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
    await waitForStatus(`http://127.0.0.1:${env.PORT_API}/ready`, 200);
  });
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

  it.runIf(testDatabaseTemplate().kind === "embedded")(
    "refuses a second process on the same embedded data directory",
    async () => {
      const second = spawnEntry(CLI, ["start"], {
        ...env,
        PORT_API: String(await freePort()),
        PORT_GATEWAY: String(await freePort()),
      });
      expect(await second.exited).toBe(1);
      expect(second.output()).toMatch(/already open in process \d+/);
    },
  );

  it("drains and exits 0 on SIGTERM, then starts again on the same data without re-seeding", async () => {
    expect(await stop(running)).toBe(0);
    running = spawnEntry(CLI, ["start"], env);
    await waitForStatus(`http://127.0.0.1:${env.PORT_API}/ready`, 200);
    expect(running.output()).not.toContain("seeded");
  });
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

describe.runIf(testDatabaseTemplate().kind === "embedded")("modelfaucet db (embedded)", () => {
  it("migrates, seeds idempotently, backs up and restores through the CLI", async () => {
    const dir = join(workDir, "cli-db");
    const run = async (...args: string[]) => {
      const spawned = spawnEntry(CLI, ["db", ...args], { MODELFAUCET_DATA_DIR: dir });
      const code = await spawned.exited;
      return { code, output: spawned.output() };
    };
    expect(await run("migrate")).toMatchObject({ code: 0, output: expect.stringContaining("applied: 0001_initial") });
    expect(await run("migrate")).toMatchObject({ code: 0, output: expect.stringContaining("already up to date") });
    expect(await run("seed")).toMatchObject({ code: 0, output: expect.stringContaining("seeded 12 rows") });
    expect(await run("seed")).toMatchObject({ code: 0, output: expect.stringContaining("nothing changed") });
    const file = join(workDir, "cli-backup.tar.gz");
    expect((await run("backup", "--out", file)).code).toBe(0);
    const restored = join(workDir, "cli-restored");
    expect((await run("restore", file, "--data-dir", restored)).code).toBe(0);
    const check = spawnEntry(CLI, ["db", "seed"], { MODELFAUCET_DATA_DIR: restored });
    expect(await check.exited).toBe(0);
    expect(check.output()).toContain("nothing changed");
  });
});
