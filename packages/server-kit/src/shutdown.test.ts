import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SHUTDOWN_MODULE = fileURLToPath(new URL("./shutdown.ts", import.meta.url));
const LOGGER_MODULE = fileURLToPath(new URL("./logger.ts", import.meta.url));

interface Child {
  signal: (signal: NodeJS.Signals) => void;
  ready: Promise<void>;
  exited: Promise<number | null>;
  output: () => string;
}

/**
 * A process that installs the shutdown handlers with `steps` (a JS
 * expression) and says "ready"; its close steps log "closed <name>".
 */
function runWithShutdown(steps: string): Child {
  const script = `
    import { installShutdown } from ${JSON.stringify(SHUTDOWN_MODULE)};
    import { createLogger } from ${JSON.stringify(LOGGER_MODULE)};
    const logger = createLogger({ level: "info" });
    const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    const step = (name, ms) => ({ name, close: async () => { await sleep(ms); logger.info("closed " + name); } });
    installShutdown({ logger, timeoutMs: 5000, steps: ${steps} });
    setInterval(() => {}, 1000);
    process.stdout.write("ready\\n");
  `;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  let markReady: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.includes("ready\n")) markReady();
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  return {
    signal: (signal) => child.kill(signal),
    ready,
    exited: new Promise((resolve) => child.on("exit", (code) => resolve(code))),
    output: () => output,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const messages = (output: string) =>
  output
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => (JSON.parse(line) as { msg: string }).msg);

describe("installShutdown", () => {
  it("closes the steps in order and exits 0", async () => {
    const child = runWithShutdown(`[step("servers", 100), step("pools", 0)]`);
    await child.ready;
    child.signal("SIGTERM");
    expect(await child.exited).toBe(0);
    expect(messages(child.output())).toEqual(["shutting down", "closed servers", "closed pools", "shutdown complete"]);
  });

  it("takes the same signal again within a second for the same stop, not an order to exit at once", async () => {
    const child = runWithShutdown(`[step("servers", 600)]`);
    await child.ready;
    child.signal("SIGINT");
    await sleep(200);
    child.signal("SIGINT");
    expect(await child.exited).toBe(0);
    expect(messages(child.output())).toEqual(["shutting down", "closed servers", "shutdown complete"]);
  });

  it("exits at once with 1 on a second signal a second or more after the first", async () => {
    const child = runWithShutdown(`[step("servers", 4000)]`);
    await child.ready;
    child.signal("SIGTERM");
    await sleep(1200);
    child.signal("SIGTERM");
    expect(await child.exited).toBe(1);
    expect(messages(child.output())).toEqual(["shutting down", "second signal; exiting now"]);
  });

  it("lets a boot under way finish, then closes what it opened", async () => {
    const child = runWithShutdown(`sleep(500).then(() => [step("servers", 0)])`);
    await child.ready;
    child.signal("SIGTERM");
    expect(await child.exited).toBe(0);
    expect(messages(child.output())).toEqual(["shutting down", "closed servers", "shutdown complete"]);
  });
});
