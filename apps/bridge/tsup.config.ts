import { defineConfig } from "tsup";

// The published build: the CLI and the library entry as ESM in dist/, with
// type declarations. The workspace packages the bridge uses (contract, core,
// crypto, providers) are private, so they are bundled in; their own
// dependencies (zod, undici, gpt-tokenizer) and commander stay runtime
// dependencies of the package.
export default defineConfig({
  entry: ["src/cli.ts", "src/index.ts"],
  format: ["esm"],
  target: "node20",
  platform: "node",
  outDir: "dist",
  clean: true,
  dts: { entry: "src/index.ts" },
  noExternal: [/^@modelfaucet\//],
  splitting: true,
  sourcemap: false,
});
