import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bridgeConfig, startBridge, UPSTREAM_KINDS, type BridgeHandle } from "@modelfaucet/bridge";
import { startFakeLocalServer, type FakeLocalServer } from "@modelfaucet/bridge/testing";
import type { Database } from "@modelfaucet/db";
import { createTestDatabase } from "@modelfaucet/db/testing";
import { startMockUpstream, type MockUpstream } from "@modelfaucet/providers";
import { createFaucet, type Faucet } from "@modelfaucet/sdk";
import { createSessionMinter } from "@modelfaucet/sdk/server";
import { build } from "vite";
import { startDemoModel, type DemoModel } from "../../examples/crm-demo/scripts/demo-model/demo-model-server.js";
import { fundDemoWallet } from "../../examples/crm-demo/scripts/fund-demo-wallet.js";
import { seedCrmApp, type CrmApp } from "../../examples/crm-demo/scripts/seed-crm-app.js";
import { cachedDirectory } from "./cached-directory.js";
import { inputsHash, workspaceClosure } from "./input-hash.js";
import { freePort, REPO_ROOT, spawnEntry, stop, waitForStatus, type Spawned } from "./processes.js";
import { DEVELOPER_ADMIN_TOKEN, startRevenueStack, type RevenueStack } from "./revenue-stack.js";
import { ADMIN_TOKEN } from "./services.js";

const EXAMPLE_DIR = join(REPO_ROOT, "examples/crm-demo");
/** The CRM's signed-in user, as its backend names them to ModelFaucet. */
export const CRM_USER_ID = "agent-e2e@parcelly.example";
/** What the user's wallet starts with. */
export const CRM_WALLET_USD = "2.00";
/** The user's own key for the fake OpenAI-compatible provider. */
export const BYOK_KEY = "sk-crm-e2e-0123456789abcdef";

/**
 * Everything `pnpm demo` runs, made for one test: the API and Gateway on a
 * database of their own with the demo's scripted model as the platform
 * provider; the CRM's app and features seeded as the demo seeds them, the
 * user's wallet funded; the page built (once per inputs hash, builtPage) and
 * served by the CRM's own backend (examples/crm-demo/server/main.ts, a
 * child process); a fake OpenAI-compatible provider for the user's own key;
 * and a real Local Bridge in front of a fake Ollama, allowing the CRM's origin.
 */
export interface CrmStack {
  db: Database;
  stack: RevenueStack;
  app: CrmApp;
  crmUrl: string;
  /** The platform provider: the demo's scripted model (its streaming pace can be changed). */
  model: DemoModel;
  /** The fake provider behind the user's own key (any path under `${url}/v1`). */
  byok: MockUpstream;
  ollama: FakeLocalServer;
  bridgeUrl: string;
  /** The same user as the page, through the SDK: for reading the wallet beside the page. */
  user: Faucet;
  close(): Promise<void>;
}

export async function startCrmStack(env: Record<string, string> = {}): Promise<CrmStack> {
  const crmPort = await freePort();
  const crmUrl = `http://127.0.0.1:${crmPort}`;
  const [{ db }, model, byok, ollama, scratch] = await Promise.all([
    createTestDatabase(),
    startDemoModel({ chunkDelayMs: 5 }),
    startMockUpstream({ port: 0, apiKey: BYOK_KEY }),
    startFakeLocalServer("ollama"),
    mkdtemp(join(tmpdir(), "crm-e2e-")),
  ]);
  const [stack, staticDir] = await Promise.all([
    startRevenueStack(db, {
      MOCK_UPSTREAM_URL: model.url,
      API_CORS_ORIGINS: crmUrl,
      GATEWAY_CORS_ORIGINS: crmUrl,
      PROVIDER_ALLOW_PRIVATE_HOSTS: "127.0.0.1",
      ...env,
    }),
    builtPage(),
  ]);
  const app = await seedCrmApp({
    apiUrl: stack.apiUrl,
    developerToken: DEVELOPER_ADMIN_TOKEN,
    developerId: "dev_demo",
  });
  await fundDemoWallet({
    apiUrl: stack.apiUrl,
    adminToken: ADMIN_TOKEN,
    app,
    externalUserId: CRM_USER_ID,
    belowUsd: CRM_WALLET_USD,
    creditUsd: CRM_WALLET_USD,
  });

  // Only the fake Ollama: the other kinds point at a port nothing listens on.
  const closed = new URL("http://127.0.0.1:9");
  const bridgeDataDir = join(scratch, "bridge");
  await mkdir(bridgeDataDir);
  const bridge: BridgeHandle = await startBridge(
    bridgeConfig({
      port: 0,
      hosts: ["127.0.0.1"],
      allowOrigins: [crmUrl],
      upstreams: UPSTREAM_KINDS.map((kind) => ({ kind, url: kind === "ollama" ? new URL(ollama.url) : closed })),
      dataDir: bridgeDataDir,
      apiUrl: new URL(stack.apiUrl),
    }),
  );
  const bridgeUrl = bridge.urls[0]!;

  const crm: Spawned = spawnEntry("examples/crm-demo/server/main.ts", [], {
    // The SDK is read from its sources here, as vitest and the build read it.
    NODE_OPTIONS: "--conditions=@modelfaucet/source",
    CRM_HOST: "127.0.0.1",
    CRM_PORT: String(crmPort),
    CRM_API_URL: stack.apiUrl,
    CRM_PUBLIC_APP_ID: app.publicAppId,
    CRM_APP_SECRET_KEY: app.secretKey,
    CRM_USER_ID,
    CRM_BRIDGE_URL: bridgeUrl,
    CRM_STATIC_DIR: staticDir,
  });
  await waitForStatus(`${crmUrl}/api/config`, 200).catch((error: Error) => {
    throw new Error(`${error.message}\n${crm.output()}`);
  });

  const minter = createSessionMinter({ secretKey: app.secretKey, apiBaseUrl: stack.apiUrl });
  const user = createFaucet({
    apiBaseUrl: stack.apiUrl,
    getSession: () => minter.mint({ publicAppId: app.publicAppId, externalUserId: CRM_USER_ID }),
  });

  return {
    db,
    stack,
    app,
    crmUrl,
    model,
    byok,
    ollama,
    bridgeUrl,
    user,
    async close() {
      await stop(crm);
      await bridge.close();
      await Promise.all([stack.close(), model.close(), byok.close(), ollama.close()]);
      await db.close();
      await rm(scratch, { recursive: true, force: true });
    },
  };
}

/**
 * The CRM's page as `vite build` makes it from the example's sources (and
 * the SDK and React sources it reads): built once per inputs hash into the
 * shared test cache, and served from there, read-only, by every run.
 */
function builtPage(): Promise<string> {
  const hash = inputsHash(workspaceClosure(EXAMPLE_DIR));
  return cachedDirectory(`crm-page-${hash}`, async (outDir) => {
    await build({
      configFile: join(EXAMPLE_DIR, "vite.config.ts"),
      logLevel: "warn",
      build: { outDir, emptyOutDir: true },
    });
  });
}

/** The `modelfaucet` facts of one request, from its usage event: what the ledger settled. */
export async function billedRequest(db: Database, requestId: string) {
  const { rows } = await db.query<{
    route_mode: string;
    retail_units: string;
    input_tokens: number;
    output_tokens: number;
  }>("SELECT route_mode, retail_units::text, input_tokens, output_tokens FROM usage_events WHERE request_id = $1", [
    requestId,
  ]);
  return rows[0];
}
