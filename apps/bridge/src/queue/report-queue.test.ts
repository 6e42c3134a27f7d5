import { appendFile, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LocalUsageReport } from "@modelfaucet/contract";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { REPORT_LOG_FILE, ReportQueue } from "./report-queue.js";

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "bridge-queue-"));
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

const report = (request_id: string): LocalUsageReport => ({
  request_id,
  model: "ollama/qwen2.5:7b",
  input_tokens: 10,
  output_tokens: 3,
  usage_source: "upstream",
});

describe("report queue", () => {
  it("keeps pending reports, retries and dead letters across a reopen; delivered ones are gone", async () => {
    const queue = await ReportQueue.open(dataDir);
    await Promise.all(["a", "b", "c", "d"].map((id) => queue.enqueue(`ticket-${id}`, report(id))));
    await queue.markSent("a");
    await queue.markRetry("b", "HTTP 503", 60_000);
    await queue.markDead("c", 401, "HTTP 401 unauthorized: Unknown ticket.");
    await queue.close();

    const reopened = await ReportQueue.open(dataDir);
    expect(reopened.stats()).toEqual({ pending: 2, dead: 1 });
    expect(reopened.due(Date.now()).map((entry) => [entry.request_id, entry.ticket])).toEqual([["d", "ticket-d"]]);
    const b = reopened.list().find((entry) => entry.report.request_id === "b")!;
    expect(b).toMatchObject({ state: "pending", attempts: 1, last_error: "HTTP 503" });
    expect(reopened.list().find((entry) => entry.report.request_id === "c")).toMatchObject({
      state: "dead",
      status: 401,
    });
    expect(JSON.stringify(reopened.list())).not.toContain("ticket-");
    expect(await reopened.purgeDead()).toBe(1);
    await reopened.close();
    // Opening compacts: one line per live report and its state.
    await (await ReportQueue.open(dataDir)).close();
    const lines = (await readFile(join(dataDir, REPORT_LOG_FILE), "utf8")).trim().split("\n");
    expect(lines.map((line) => JSON.parse(line).op)).toEqual(["queued", "retry", "queued"]);
  });

  it("drops a last line cut short by a crash and keeps appending after it", async () => {
    const queue = await ReportQueue.open(dataDir);
    await queue.enqueue("t1", report("whole"));
    await queue.close();
    await appendFile(join(dataDir, REPORT_LOG_FILE), '{"op":"queued","request_id":"torn","tick');

    const reopened = await ReportQueue.open(dataDir);
    expect(reopened.list().map((entry) => entry.report.request_id)).toEqual(["whole"]);
    await reopened.enqueue("t2", report("after"));
    await reopened.close();
    const again = await ReportQueue.open(dataDir);
    expect(again.list().map((entry) => entry.report.request_id)).toEqual(["whole", "after"]);
    expect(again.skippedLines).toBe(0);
    await again.close();
  });

  it("refuses a second report for the same request id", async () => {
    const queue = await ReportQueue.open(dataDir);
    await queue.enqueue("t1", report("same"));
    await expect(queue.enqueue("t2", report("same"))).rejects.toThrow(/already queued/);
    await queue.close();
  });
});
