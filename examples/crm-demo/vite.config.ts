import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  // In this workspace the SDK and React packages are read from their TypeScript
  // sources (their `@modelfaucet/source` condition), so no package build comes first.
  // An app outside the workspace imports their published builds and needs none of this.
  resolve: { conditions: ["@modelfaucet/source"] },
  build: { outDir: "dist", emptyOutDir: true },
});
