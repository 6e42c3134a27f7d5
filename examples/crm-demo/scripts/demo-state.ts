import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { CrmApp } from "./seed-crm-app.js";

/**
 * The CRM app of the last `pnpm demo` run, kept beside the stack's data
 * (mode 0600: it holds the app's secret key), so the next run reuses the
 * app instead of making another.
 */
export function demoStateFile(dataDir: string): string {
  return join(dataDir, "crm-demo.json");
}

export function readDemoState(file: string): CrmApp | undefined {
  try {
    const state = JSON.parse(readFileSync(file, "utf8")) as Partial<CrmApp>;
    return typeof state.publicAppId === "string" && typeof state.secretKey === "string"
      ? { publicAppId: state.publicAppId, secretKey: state.secretKey }
      : undefined;
  } catch {
    return undefined;
  }
}

export function writeDemoState(file: string, app: CrmApp): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${JSON.stringify(app, null, 2)}\n`, { mode: 0o600 });
}
