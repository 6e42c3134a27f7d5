import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { embeddedDatabaseDir } from "./data-dir.js";
import { DataDirInUseError, lockDataDir } from "./data-dir-lock.js";

const workDir = mkdtempSync(join(tmpdir(), "modelfaucet-lock-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));
let dirs = 0;
const freshDir = () => join(workDir, `parent-${++dirs}`, "dd");
const modeOf = (path: string) => statSync(path).mode & 0o777;

/** Runs `script` in a child process that imports this package's lock; resolves with its exit code. */
function runChild(script: string): Promise<number | null> {
  const lockModule = fileURLToPath(new URL("./data-dir-lock.ts", import.meta.url));
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "--input-type=module",
      "-e",
      `import { lockDataDir } from ${JSON.stringify(lockModule)};\n${script}`,
    ],
    { stdio: "ignore" },
  );
  return new Promise((resolve) => child.on("exit", (code) => resolve(code)));
}

describe("lockDataDir", () => {
  it("creates the data directory 0700 with a 0600 lock holding our pid inside it, and removes it on release", () => {
    const dir = freshDir();
    const release = lockDataDir(dir);
    expect(modeOf(dir)).toBe(0o700);
    expect(modeOf(join(dir, "lock"))).toBe(0o600);
    expect(readFileSync(join(dir, "lock"), "utf8")).toBe(String(process.pid));
    expect(existsSync(`${dir}.lock`)).toBe(false);
    release();
    expect(existsSync(join(dir, "lock"))).toBe(false);
  });

  it("refuses a directory whose lock names a live process, naming it", () => {
    const dir = freshDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "lock"), String(process.ppid));
    expect(() => lockDataDir(dir)).toThrow(DataDirInUseError);
    expect(() => lockDataDir(dir)).toThrow(`already open in process ${process.ppid}`);
    expect(readFileSync(join(dir, "lock"), "utf8")).toBe(String(process.ppid));
  });

  it("takes over a lock left by a process that is gone", async () => {
    const dir = freshDir();
    expect(await runChild(`lockDataDir(${JSON.stringify(dir)}); process.kill(process.pid, "SIGKILL");`)).toBeNull();
    expect(existsSync(join(dir, "lock"))).toBe(true);
    const release = lockDataDir(dir);
    expect(readFileSync(join(dir, "lock"), "utf8")).toBe(String(process.pid));
    release();
  });

  it("leaves no lock behind when the process exits without releasing it", async () => {
    const dir = freshDir();
    expect(await runChild(`lockDataDir(${JSON.stringify(dir)}); process.exit(3);`)).toBe(3);
    expect(existsSync(join(dir, "lock"))).toBe(false);
  });
});

describe("embeddedDatabaseDir", () => {
  it("is data/ inside the data directory", () => {
    expect(embeddedDatabaseDir("/srv/modelfaucet")).toBe(join("/srv/modelfaucet", "data"));
  });

  it("refuses a directory that is a database itself, saying where to move it", () => {
    const dir = freshDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "PG_VERSION"), "18\n");
    expect(() => embeddedDatabaseDir(dir)).toThrow(`move the database into ${join(dir, "data")}`);
  });
});
