import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DataDirLock, LOCK_FILE } from "./data-dir-lock.js";

let parent: string;
beforeEach(async () => {
  parent = await mkdtemp(join(tmpdir(), "bridge-lock-"));
});
afterEach(() => rm(parent, { recursive: true, force: true }));

describe("data directory lock", () => {
  it("creates a first run's missing data directory, private to its owner, before taking the lock", async () => {
    const dataDir = join(parent, "not", "yet", "there");
    const lock = await DataDirLock.acquire(dataDir);
    expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(dataDir, LOCK_FILE))).isFile()).toBe(true);
    await lock.release();
  });
});
