// @modelfaucet/bridge as a user gets it: built, packed with npm, installed
// from the tarball into a scratch directory outside the workspace (so no
// workspace package can be found), and run from there.
import { execFile } from "node:child_process";
import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { startFakeLocalServer, type FakeLocalServer } from "@modelfaucet/bridge/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installedProject, packedPackages } from "./helpers/packed-packages.js";

const run = promisify(execFile);

let scratch: string;
let tarball: string;
let bin: string;
let ollama: FakeLocalServer;

beforeAll(async () => {
  // Packed and installed once per inputs hash, shared with the other package tests (packed-packages.ts).
  const [project, packs, server] = await Promise.all([
    installedProject("bridge-pack-check", ["bridge"]),
    packedPackages(),
    startFakeLocalServer("ollama"),
  ]);
  [scratch, tarball, ollama] = [project, packs.set.bridge.tarball, server];
  bin = join(scratch, "node_modules/.bin/modelfaucet-bridge");
}, 240_000);
afterAll(async () => {
  await ollama?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe("the published package", () => {
  it("holds only the build and installs no workspace package", async () => {
    const { stdout } = await run("tar", ["tzf", tarball]);
    expect(
      stdout
        .split("\n")
        .filter(Boolean)
        .every((path) => path === "package/package.json" || path.startsWith("package/dist/")),
    ).toBe(true);
    expect(await readdir(join(scratch, "node_modules/@modelfaucet"))).toEqual(["bridge"]);
  });

  it("runs `modelfaucet-bridge --help` and `detect --json` from the tarball", async () => {
    const help = await run(bin, ["--help"], { cwd: scratch });
    for (const command of ["start", "detect", "models", "doctor", "queue"]) expect(help.stdout).toContain(command);
    expect((await run(bin, ["queue", "--help"], { cwd: scratch })).stdout).toMatch(/list[\s\S]*flush[\s\S]*purge/);

    const { stdout } = await run(bin, ["detect", "--json", "--upstream", `ollama=${ollama.url}`], { cwd: scratch });
    const { upstreams } = JSON.parse(stdout) as {
      upstreams: Array<{ kind: string; status: string; models: unknown[] }>;
    };
    expect(upstreams.map((found) => found.kind)).toEqual(["ollama", "lm_studio", "vllm", "llama_cpp"]);
    expect(upstreams[0]).toMatchObject({ status: "available", models: [{ id: "qwen2.5:7b", created: 1_700_000_000 }] });
  });

  it("loads as a library with its types", async () => {
    const script = "const m = await import('@modelfaucet/bridge'); console.log(typeof m.startBridge, m.DEFAULT_PORT)";
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], { cwd: scratch });
    expect(stdout.trim()).toBe("function 8787");
    expect(await readdir(join(scratch, "node_modules/@modelfaucet/bridge/dist"))).toContain("index.d.ts");
  });
});
