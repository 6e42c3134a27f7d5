import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEmptyTestDatabase, testDatabaseTemplate, withDatabaseName } from "@modelfaucet/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, REPO_ROOT, waitForStatus } from "./helpers/processes.js";

const workDir = mkdtempSync(join(tmpdir(), "modelfaucet-shutdown-"));
let env: Record<string, string>;

beforeAll(async () => {
  env = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    LOG_LEVEL: "info",
    PORT_API: String(await freePort()),
    PORT_GATEWAY: String(await freePort()),
    MODELFAUCET_DATA_DIR: join(workDir, "data"),
  };
  const template = testDatabaseTemplate();
  if (template.kind === "postgres") {
    env.DATABASE_URL = withDatabaseName(template.adminUrl, await createEmptyTestDatabase(template));
  }
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** Signals every process of a group; a group already gone (it stopped fast) is fine. */
function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}

/**
 * Runs `pnpm start` as a person does, in a process group of its own, and
 * stops it as `kill <pid>` or Ctrl-C would: SIGTERM to pnpm alone, or SIGINT
 * to the whole group. Whatever is left of the group afterwards is killed, so
 * a failing run cannot leave a server behind.
 */
async function startAndStop(
  how: "SIGTERM to pnpm" | "SIGINT to the group",
): Promise<{ code: number | null; output: string; stillServing: boolean }> {
  const child = spawn("pnpm", ["start"], { cwd: REPO_ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  // stdout and stderr close when the last process of the group writing to them is gone.
  const drained = new Promise((resolve) => child.stdout.on("close", resolve));
  try {
    await waitForStatus(`http://127.0.0.1:${env.PORT_API}/ready`, 200, 60_000);
    if (how === "SIGTERM to pnpm") child.kill("SIGTERM");
    else {
      // The server gets a Ctrl-C twice, from the terminal and passed on by pnpm: twice here too,
      // 200 ms apart (a synchronous wait: a timer can fire late on a busy machine).
      signalGroup(child.pid!, "SIGINT");
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
      signalGroup(child.pid!, "SIGINT");
    }
    const code = await exited;
    // Bounded: a server left running keeps the pipes open.
    await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, 15_000))]);
    const stillServing = await fetch(`http://127.0.0.1:${env.PORT_API}/health`).then(
      () => true,
      () => false,
    );
    return { code, output, stillServing };
  } finally {
    signalGroup(child.pid!, "SIGKILL");
  }
}

describe("pnpm start stopped by a signal", () => {
  it("drains, says so and exits 0 every time, leaving no lock and nothing running", { timeout: 240_000 }, async () => {
    for (const how of ["SIGTERM to pnpm", "SIGTERM to pnpm", "SIGTERM to pnpm", "SIGINT to the group"] as const) {
      const { code, output, stillServing } = await startAndStop(how);
      const context = `${how}:\n${output}`;
      expect(output.match(/"msg":"shutdown complete"/g), context).toHaveLength(1);
      expect(output, context).not.toContain("Command failed");
      expect(code, context).toBe(0);
      expect(existsSync(join(env.MODELFAUCET_DATA_DIR!, "lock")), context).toBe(false);
      expect(stillServing, context).toBe(false);
    }
  });
});
