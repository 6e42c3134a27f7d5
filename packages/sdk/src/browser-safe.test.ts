// `@modelfaucet/sdk` (the `.` entry) runs in browsers: bundled for the browser
// it must resolve no Node built-in and load where there is no require,
// process or Buffer. `./server` is the Node-only half. The packed package's
// Vite build is checked in tests/sdk-package.test.ts.
import { builtinModules } from "node:module";
import { fileURLToPath } from "node:url";
import { runInNewContext } from "node:vm";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const NODE_BUILTINS = new Set(builtinModules);

async function browserBundle(entry: string) {
  const nodeImports: string[] = [];
  const result = await build({
    entryPoints: [fileURLToPath(new URL(entry, import.meta.url))],
    bundle: true,
    platform: "browser",
    format: "iife",
    globalName: "sdk",
    write: false,
    logLevel: "silent",
    plugins: [
      {
        name: "record-node-imports",
        setup(build) {
          build.onResolve({ filter: /.*/ }, (args) => {
            if (!args.path.startsWith("node:") && !NODE_BUILTINS.has(args.path)) return undefined;
            nodeImports.push(`${args.path} (imported by ${args.importer})`);
            return { path: args.path, external: true };
          });
        },
      },
    ],
  });
  return { code: result.outputFiles[0]!.text, nodeImports };
}

describe("the SDK in a browser", () => {
  it("bundles its browser entry without a Node built-in, and loads without require, process or Buffer", async () => {
    const { code, nodeImports } = await browserBundle("./index.ts");
    expect(nodeImports).toEqual([]);
    const realm: Record<string, unknown> = {};
    runInNewContext(code, realm);
    expect(runInNewContext("[typeof require, typeof process, typeof Buffer, typeof sdk.createFaucet]", realm)).toEqual([
      "undefined",
      "undefined",
      "undefined",
      "function",
    ]);
  });

  it("keeps the secret-key side apart: ./server needs Node", async () => {
    const { nodeImports } = await browserBundle("./server.ts");
    expect(nodeImports).toEqual([expect.stringMatching(/^node:crypto /)]);
  });
});
