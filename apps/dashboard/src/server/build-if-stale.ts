import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { buildInputsHash } from "./build-inputs.js";
import type { DashboardLogger } from "./dashboard-logger.js";

/** Written into the build: the inputs hash it was made from. Dot-named, so it is never served. */
export const BUILD_STAMP = ".build-inputs";

/** A build directory left this long ago belongs to a process that was killed mid-build: it is removed. */
const ABANDONED_AFTER_MS = 3_600_000;

/** The tail of a failed build's output kept for the log. */
const OUTPUT_LIMIT_CHARS = 8000;

export interface DashboardBuild {
  /** The directory of an up-to-date production build; rejects when the build failed or was cancelled. */
  ready: Promise<string>;
  /** Stops a build under way (on shutdown) and removes its half-written files. */
  cancel(): Promise<void>;
}

const viteBin = () => join(dirname(createRequire(import.meta.url).resolve("vite/package.json")), "bin", "vite.js");

/**
 * Makes sure `<dashboardDir>/dist` is the production build of the current
 * sources: kept when its stamp matches their hash, otherwise rebuilt with
 * `vite build` in a child process (its memory is given back when it ends,
 * and the servers' event loop is never blocked by it). The new build is
 * written elsewhere and moved into place, so a reader never sees half a build
 * and processes that build at the same time each leave a whole one.
 */
export function buildIfStale(options: {
  dashboardDir: string;
  repoRoot: string;
  logger: DashboardLogger;
}): DashboardBuild {
  const { dashboardDir, repoRoot, logger } = options;
  const distDir = join(dashboardDir, "dist");
  const hash = buildInputsHash(dashboardDir, repoRoot);
  if (readStamp(distDir) === hash) {
    return { ready: Promise.resolve(distDir), cancel: async () => {} };
  }
  // Inside node_modules: ignored by git, and on dist's file system, so the move into place is a rename.
  const workDir = join(dashboardDir, "node_modules", ".cache", "modelfaucet-dashboard");
  const id = `${process.pid}-${randomBytes(4).toString("hex")}`;
  const outDir = join(workDir, `build-${id}`);
  mkdirSync(workDir, { recursive: true });
  removeAbandoned(workDir);
  const started = Date.now();
  logger.info({ out_dir: distDir }, "building the dashboard (its sources changed since the last build)");
  const vite = spawnViteBuild(dashboardDir, outDir);
  let cancelled = false;
  const ready = vite.exited.then((code) => {
    if (cancelled) throw new Error("the dashboard build was cancelled");
    if (code !== 0) {
      rmSync(outDir, { recursive: true, force: true });
      logger.error({ exit_code: code, output: vite.output() }, "the dashboard build failed");
      throw new Error(`vite build exited with ${code}`);
    }
    writeFileSync(join(outDir, BUILD_STAMP), hash);
    moveIntoPlace(outDir, distDir, join(workDir, `old-${id}`));
    logger.info({ duration_ms: Date.now() - started }, "dashboard built");
    return distDir;
  });
  return {
    ready,
    cancel: async () => {
      cancelled = true;
      await vite.stop();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

/** `vite build` of `dashboardDir` into `outDir` in a child process, keeping the tail of what it prints. */
function spawnViteBuild(dashboardDir: string, outDir: string) {
  const child = spawn(
    process.execPath,
    [viteBin(), "build", "--outDir", outDir, "--emptyOutDir", "--logLevel", "warn"],
    { cwd: dashboardDir, env: { ...process.env, NODE_ENV: "production" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  const keep = (chunk: Buffer | string) => (output = (output + chunk.toString()).slice(-OUTPUT_LIMIT_CHARS));
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const exited = new Promise<number | null>((resolve) => {
    child.on("exit", (code) => resolve(code));
    child.on("error", (error) => {
      keep(String(error));
      resolve(null);
    });
  });
  return {
    exited,
    output: () => output,
    async stop(): Promise<void> {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

function removeAbandoned(workDir: string): void {
  for (const name of readdirSync(workDir)) {
    const path = join(workDir, name);
    // Another process may be removing it as well.
    const modifiedMs = statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
    if (Date.now() - modifiedMs > ABANDONED_AFTER_MS) rmSync(path, { recursive: true, force: true });
  }
}

function readStamp(distDir: string): string | undefined {
  try {
    return readFileSync(join(distDir, BUILD_STAMP), "utf8");
  } catch {
    return undefined;
  }
}

/** Replaces `distDir` with `built`. Another process may have put its own build there in between: then that one stays. */
function moveIntoPlace(built: string, distDir: string, oldDir: string): void {
  try {
    renameSync(distDir, oldDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  try {
    renameSync(built, distDir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOTEMPTY" && code !== "EEXIST") throw error;
    rmSync(built, { recursive: true, force: true });
  }
  rmSync(oldDir, { recursive: true, force: true });
}
