import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// `pnpm dev`'s dashboard: Vite's dev server with hot reload, its /v1 calls
// proxied to the API (same origin, so the SameSite=Strict cookie and the
// Origin check hold as in production). The Host header is kept for the same
// reason: the API compares Origin with it.
const apiTarget = process.env.DASHBOARD_API_URL ?? `http://127.0.0.1:${process.env.PORT_API ?? "3001"}`;

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  // Workspace packages are read from their TypeScript sources (the SDK's `@modelfaucet/source` condition).
  resolve: { conditions: ["@modelfaucet/source"] },
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 900 },
  server: {
    host: process.env.HOST ?? "127.0.0.1",
    port: Number(process.env.PORT_DASHBOARD ?? 5173),
    strictPort: true,
    proxy: { "/v1": { target: apiTarget, changeOrigin: false } },
  },
});
