// The contract is imported by browser code (SDK, dashboard): bundled for the
// browser it must resolve no Node built-in, and it must run where there is
// no require, process or Buffer. A client importing only types must get no
// zod at all.
import { builtinModules } from "node:module";
import { fileURLToPath } from "node:url";
import { runInNewContext } from "node:vm";
import { build, type Plugin } from "esbuild";
import { describe, expect, it } from "vitest";
import type * as Contract from "./index.js";

const entry = fileURLToPath(new URL("./index.ts", import.meta.url));
const NODE_BUILTINS = new Set(builtinModules);

/** Records every import of a Node built-in instead of letting the build fail on the first. */
function recordNodeImports(found: string[]): Plugin {
  return {
    name: "record-node-imports",
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (!args.path.startsWith("node:") && !NODE_BUILTINS.has(args.path)) return undefined;
        found.push(`${args.path} (imported by ${args.importer})`);
        return { path: args.path, external: true };
      });
    },
  };
}

type BundleInput = { entryPoints: string[] } | { stdin: { contents: string; resolveDir: string; loader: "ts" } };

/** A minified browser bundle (an IIFE setting `contract`), and the Node built-ins it tried to import. */
async function bundle(input: BundleInput) {
  const nodeImports: string[] = [];
  const result = await build({
    ...input,
    bundle: true,
    platform: "browser",
    format: "iife",
    globalName: "contract",
    minify: true,
    write: false,
    logLevel: "silent",
    plugins: [recordNodeImports(nodeImports)],
  });
  return { code: result.outputFiles[0]!.text, nodeImports };
}

describe("@modelfaucet/contract in a browser", () => {
  it("bundles without a Node built-in and runs without require, process or Buffer", async () => {
    const { code, nodeImports } = await bundle({ entryPoints: [entry] });
    expect(nodeImports).toEqual([]);

    // A fresh realm holds only the language's own globals, plus URL as every browser has it.
    const realm: Record<string, unknown> = { URL };
    runInNewContext(code, realm);
    expect(runInNewContext("[typeof require, typeof process, typeof Buffer]", realm)).toEqual([
      "undefined",
      "undefined",
      "undefined",
    ]);
    const contract = realm.contract as typeof Contract;
    const body = contract.createSessionBody.parse({ public_app_id: "app_demo", external_user_id: "me" });
    expect(body).toEqual({ public_app_id: "app_demo", external_user_id: "me" });
    expect(contract.checkoutBody.safeParse({ amount_usd: "0.5", success_url: "x", cancel_url: "y" }).success).toBe(
      false,
    );
    expect(contract.formatUsd(contract.parseUsd("12.5"))).toBe("12.50000000");
  });

  it("pulls in no zod for a client that imports only types", async () => {
    const contents = `import type { Wallet, ErrorEnvelope } from ${JSON.stringify(entry)};
      export const balance = (wallet: Wallet, error?: ErrorEnvelope) => error?.error.code ?? wallet.balance_usd;`;
    const { code } = await bundle({ stdin: { contents, resolveDir: process.cwd(), loader: "ts" } });
    // The IIFE's export helpers take about 500 bytes; zod would take hundreds of kilobytes.
    expect(code).not.toMatch(/ZodError/);
    expect(code.length).toBeLessThan(1000);
  });
});
