import { defaultClientConditions, defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // Workspace packages built to dist/ for publishing (the SDK) point this
  // condition at their sources, so tests run them without a build (browser-like
  // environments such as happy-dom resolve as a client, hence both lists).
  resolve: { conditions: ["@modelfaucet/source", ...defaultClientConditions] },
  ssr: { resolve: { conditions: ["@modelfaucet/source", ...defaultServerConditions] } },
  test: {
    include: ["packages/*/src/**/*.test.{ts,tsx}", "apps/*/src/**/*.test.ts", "tests/**/*.test.ts"],
    globalSetup: ["packages/db/src/testing/global-setup.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
