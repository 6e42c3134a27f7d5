import { defaultClientConditions, defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // Workspace packages built to dist/ for publishing (the SDK) point this
  // condition at their sources, so tests run them without a build (browser-like
  // environments such as happy-dom resolve as a client, hence both lists).
  resolve: { conditions: ["@modelfaucet/source", ...defaultClientConditions] },
  // Without "module": vitest passes these conditions to Node itself (--conditions), where "module" makes
  // require() of a CommonJS dependency load an ES build Node cannot run (OpenTelemetry's API imports files
  // without extensions). Node in production knows no such condition either.
  ssr: {
    resolve: {
      conditions: ["@modelfaucet/source", ...defaultServerConditions.filter((condition) => condition !== "module")],
    },
  },
  test: {
    include: ["packages/*/src/**/*.test.{ts,tsx}", "apps/*/src/**/*.test.ts", "tests/**/*.test.ts"],
    globalSetup: ["packages/db/src/testing/global-setup.ts"],
    pool: "forks",
    // maxWorkers stays vitest's default, one less than the cores: on 2 cores one
    // file at a time. Two at once were tried: on a loaded 2-core machine files
    // that boot `modelfaucet start` or Chromium then missed their 60 s hook
    // timeout, and the Vite build in tests/react-browser.test.ts warned.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
