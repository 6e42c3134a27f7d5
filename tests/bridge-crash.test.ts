// The Local Bridge as a process: reports survive `kill -9` and a restart and
// reach the API exactly once; `queue list | flush | purge --json` work with
// the bridge running (through it) and stopped (on the file).
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  eventually,
  startFakeControlApi,
  startFakeLocalServer,
  type FakeControlApi,
  type FakeLocalServer,
} from "@modelfaucet/bridge/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, REPO_ROOT, spawnEntry, stop, waitForStatus, type Spawned } from "./helpers/processes.js";

const CLI = "apps/bridge/src/cli.ts";
const run = promisify(execFile);

let ollama: FakeLocalServer;
let api: FakeControlApi;
let dataDir: string;
let port: number;

beforeAll(async () => {
  [ollama, api] = await Promise.all([startFakeLocalServer("ollama"), startFakeControlApi()]);
  dataDir = await mkdtemp(join(tmpdir(), "bridge-crash-"));
  port = await freePort();
});
afterAll(async () => {
  await Promise.all([ollama.close(), api.close()]);
  await rm(dataDir, { recursive: true, force: true });
});

const common = () => ["--data-dir", dataDir, "--api", api.url];

async function startBridgeProcess(): Promise<Spawned> {
  const args = ["start", "--port", String(port), "--host", "127.0.0.1", "--upstream", `ollama=${ollama.url}`];
  const bridge = spawnEntry(CLI, [...args, ...common(), "--json"], {});
  await waitForStatus(`http://127.0.0.1:${port}/health`, 200);
  return bridge;
}

/** One `queue …` command's JSON. */
async function queueCli(action: string): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, ["--import", "tsx", CLI, "queue", action, ...common(), "--json"], {
    cwd: REPO_ROOT,
  });
  return JSON.parse(stdout) as Record<string, unknown>;
}

async function localCall(requestId: string, ticket: string): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-modelfaucet-ticket": ticket, "x-request-id": requestId },
    body: JSON.stringify({ model: "ollama/qwen2.5:7b", messages: [{ role: "user", content: "Summarize the thread" }] }),
  });
  await response.text();
  return response.status;
}

describe("bridge process", () => {
  it("delivers every report exactly once across kill -9 and a restart", async () => {
    let bridge = await startBridgeProcess();
    const tickets = await Promise.all([1, 2, 3, 4].map(() => api.issueTicket()));

    // The API is down: three calls answered, their reports only on disk.
    api.unavailable = true;
    for (const [index, ticket] of tickets.slice(0, 3).entries())
      expect(await localCall(`crash-${index}`, ticket)).toBe(200);
    await eventually(() => api.reportPosts.filter((post) => post.status === 503).length >= 3);

    // The API is back but slow to answer: it settles the fourth report, and the bridge dies before hearing so.
    api.unavailable = false;
    api.answerDelayMs = 60_000;
    expect(await localCall("crash-3", tickets[3]!)).toBe(200);
    await eventually(() => api.settlements.some((settlement) => settlement.ticket === tickets[3]));
    bridge.child.kill("SIGKILL");
    await bridge.exited;

    api.answerDelayMs = 0;
    bridge = await startBridgeProcess();
    try {
      await eventually(() => api.settlements.length === 4, 15_000);
      // The fourth report, settled before the kill, is sent again after the restart and answered already_settled.
      await eventually(() => postsOf(tickets[3]!).filter((post) => post.status === 200).length === 2, 15_000);
      const queue = await queueCli("list");
      expect(queue).toMatchObject({ pending: 0, dead: 0, items: [] });
    } finally {
      await stop(bridge);
    }
    // Each ticket settled once, by the call it served.
    expect(api.settlements.map((settlement) => [settlement.ticket, settlement.report.request_id])).toEqual(
      expect.arrayContaining(tickets.map((ticket, index) => [ticket, `crash-${index}`])),
    );
    expect(new Set(api.settlements.map((settlement) => settlement.ticket)).size).toBe(4);
  });

  it("lists, flushes and purges the queue from the command line, with the bridge running or not", async () => {
    const bridge = await startBridgeProcess();
    let stopped = false;
    try {
      // A forged ticket: the API refuses its report for good — a dead letter.
      expect(await localCall("forged-call", "lt_forged")).toBe(200);
      await eventually(() => api.reportPosts.some((post) => post.status === 401));
      // The API is down for the next one: it stays pending.
      api.unavailable = true;
      const ticket = await api.issueTicket();
      expect(await localCall("pending-call", ticket)).toBe(200);

      const listed = await queueCli("list");
      expect(listed).toMatchObject({ pending: 1, dead: 1 });
      const items = listed.items as Array<{ report: { request_id: string }; state: string; status: number | null }>;
      expect(items.map((item) => [item.report.request_id, item.state, item.status])).toEqual([
        ["forged-call", "dead", 401],
        ["pending-call", "pending", null],
      ]);
      expect(JSON.stringify(listed)).not.toContain("lt_");

      expect(await stop(bridge)).toBe(0);
      stopped = true;
      api.unavailable = false;
      // Stopped: the commands take the lock and work on the file.
      expect(await queueCli("flush")).toEqual({ delivered: 1, retrying: 0, dead: 0, queue: { pending: 0, dead: 1 } });
      expect(api.settlements.some((settlement) => settlement.ticket === ticket)).toBe(true);
      expect(await queueCli("purge")).toEqual({ purged: 1 });
      expect(await queueCli("list")).toEqual({ pending: 0, dead: 0, items: [] });
    } finally {
      if (!stopped) await stop(bridge);
    }
  });
});

function postsOf(ticket: string) {
  return api.reportPosts.filter((post) => post.authorization === `Bearer ${ticket}`);
}
