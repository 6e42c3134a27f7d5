import { spawn, type ChildProcess } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";

/** `modelfaucet start` as a child process: its exit, and a way to stop it. */
export interface StackProcess {
  child: ChildProcess;
  /** Resolves with the exit code (a signal's death is 1). */
  exited: Promise<number>;
  stop(): Promise<number>;
}

/**
 * Runs `modelfaucet start` (the CLI of this repo's root, on PATH under
 * `pnpm demo`) with `env` added, its output on this terminal.
 */
export function startStack(env: Record<string, string>): StackProcess {
  const child = spawn("modelfaucet", ["start"], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const exited = new Promise<number>((resolve) => {
    child.once("exit", (code) => resolve(code ?? 1));
    child.once("error", (error) => {
      process.stderr.write(`crm-demo: could not run modelfaucet: ${error.message}\n`);
      resolve(1);
    });
  });
  return {
    child,
    exited,
    // A Ctrl-C reached it too (same terminal group); a second signal within a second counts as the same stop.
    stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}

/** Waits for `GET url` to answer 200, or for `exited` (the stack gave up), at most `timeoutMs`. */
export async function waitUntilReady(url: string, exited: Promise<number>, timeoutMs = 120_000): Promise<void> {
  let stopped: number | undefined;
  void exited.then((code) => (stopped = code));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (stopped !== undefined) throw new Error(`modelfaucet start exited (code ${stopped}) before ${url} was ready`);
    const status = await fetch(url, { signal: AbortSignal.timeout(2000) }).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    await sleep(200);
  }
  throw new Error(`${url} was not ready within ${timeoutMs / 1000} s`);
}
