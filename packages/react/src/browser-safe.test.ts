// `@modelfaucet/react` runs in browsers: bundled for the browser with what it
// imports (React and the SDK's browser entry), it must resolve no Node
// built-in and load where there is no require, process or Buffer. The packed
// package's Vite build is checked in tests/react-browser.test.ts.
import { builtinModules } from "node:module";
import { fileURLToPath } from "node:url";
import { runInNewContext } from "node:vm";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const NODE_BUILTINS = new Set(builtinModules);

describe("@modelfaucet/react in a browser", () => {
  it("bundles without a Node built-in, and loads without require, process or Buffer", async () => {
    const nodeImports: string[] = [];
    const result = await build({
      entryPoints: [fileURLToPath(new URL("./index.ts", import.meta.url))],
      bundle: true,
      platform: "browser",
      format: "iife",
      globalName: "faucetReact",
      // What every browser bundler does for React: its production build, chosen at build time.
      define: { "process.env.NODE_ENV": '"production"' },
      conditions: ["@modelfaucet/source"],
      jsx: "automatic",
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
    expect(nodeImports).toEqual([]);
    const realm: Record<string, unknown> = {};
    runInNewContext(result.outputFiles[0]!.text, realm);
    expect(runInNewContext("[typeof require, typeof process, typeof Buffer]", realm)).toEqual([
      "undefined",
      "undefined",
      "undefined",
    ]);
    expect(Object.keys(realm.faucetReact as object).sort()).toEqual([
      "ByokKeyForm",
      "FaucetProvider",
      "InsufficientBalanceNotice",
      "RouteModePicker",
      "TopUpButton",
      "UsageFooter",
      "WalletBadge",
      "useChat",
      "useFaucet",
      "useLocalBridge",
      "useProviderKeys",
      "useWallet",
    ]);
  });
});
