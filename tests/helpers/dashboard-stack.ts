import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEmptyTestDatabase, testDatabaseTemplate, testRedisUrl, withDatabaseName } from "@modelfaucet/db/testing";
import { freePort, spawnEntry, stop, waitForStatus } from "./processes.js";

/** `modelfaucet start` in a child process, as a person runs it: API, Gateway, worker, mock provider and dashboard. */
export interface DashboardStack {
  api: string;
  gateway: string;
  dashboard: string;
  adminToken: string;
  developerAdminToken: string;
  /** A JSON call to the API (the Gateway for /v1/chat/…) with `token` as Bearer, if any; throws unless it answers 2xx. */
  call<T>(token: string | null, method: string, path: string, body?: unknown): Promise<T>;
  output(): string;
  close(): Promise<void>;
}

// A start opens (or creates) an embedded database and may build the dashboard first: seconds, more on a busy machine.
const BOOT_MS = 60_000;

export async function startDashboardStack(): Promise<DashboardStack> {
  const workDir = mkdtempSync(join(tmpdir(), "modelfaucet-dashboard-"));
  const ports = { api: await freePort(), gateway: await freePort(), dashboard: await freePort() };
  const env: Record<string, string> = {
    PORT_API: String(ports.api),
    PORT_GATEWAY: String(ports.gateway),
    PORT_DASHBOARD: String(ports.dashboard),
    MODELFAUCET_DATA_DIR: join(workDir, "data"),
  };
  const template = testDatabaseTemplate();
  if (template.kind === "postgres") {
    env.DATABASE_URL = withDatabaseName(template.adminUrl, await createEmptyTestDatabase(template));
  }
  const redis = testRedisUrl();
  if (redis) env.REDIS_URL = redis;
  const running = spawnEntry("apps/cli/src/main.ts", ["start"], env);
  const urlOf = (port: number) => `http://127.0.0.1:${port}`;
  try {
    await waitForStatus(`${urlOf(ports.api)}/ready`, 200, BOOT_MS);
    await waitForStatus(`${urlOf(ports.gateway)}/ready`, 200, BOOT_MS);
    await waitForStatus(`${urlOf(ports.dashboard)}/sign-in`, 200, BOOT_MS);
  } catch (error) {
    await stop(running);
    throw new Error(`${(error as Error).message}\n${running.output()}`);
  }
  const secret = (name: string) => readFileSync(join(env.MODELFAUCET_DATA_DIR!, name), "utf8").trim();
  const api = urlOf(ports.api);
  return {
    api,
    gateway: urlOf(ports.gateway),
    dashboard: urlOf(ports.dashboard),
    adminToken: secret("admin-token"),
    developerAdminToken: secret("developer-admin-token"),
    async call<T>(token: string | null, method: string, path: string, body?: unknown): Promise<T> {
      const base = path.startsWith("/v1/chat/") ? urlOf(ports.gateway) : api;
      const response = await fetch(`${base}${path}`, {
        method,
        headers: {
          ...(token === null ? {} : { authorization: `Bearer ${token}` }),
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      if (!response.ok) {
        throw new Error(`${method} ${path}: ${response.status} ${text}\n${running.output().slice(-4000)}`);
      }
      return (text ? JSON.parse(text) : undefined) as T;
    },
    output: running.output,
    async close() {
      await stop(running);
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}
