import { availableParallelism } from "node:os";
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
    // vitest's default is one worker less than the cores: a single worker on a
    // 2-core machine, which then sits idle while a file waits on the processes,
    // browsers and servers it started. Two files at once keep both cores busy.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
