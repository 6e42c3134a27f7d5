// `pnpm demo`: the whole ModelFaucet stack, the CRM's app and features, a
// funded wallet, and the CRM itself — one command on a fresh clone; Ctrl-C
// stops everything. Settings come from the same variables as `pnpm start`
// (HOST, PORT_API, PORT_GATEWAY, MODELFAUCET_DATA_DIR, DATABASE_URL, …)
// plus CRM_PORT (5180).
import { readFileSync } from "node:fs";
import type { Server } from "node:http";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";
import { crmConfigFromEnv, DEFAULT_CRM_PORT } from "../server/crm-config.js";
import { createCrmServer } from "../server/crm-server.js";
import { startDemoModel, type DemoModel } from "./demo-model/demo-model-server.js";
import { demoStateFile, readDemoState, writeDemoState } from "./demo-state.js";
import { fundDemoWallet } from "./fund-demo-wallet.js";
import { seedCrmApp } from "./seed-crm-app.js";
import { startStack, waitUntilReady, type StackProcess } from "./stack-process.js";

const EXAMPLE_DIR = fileURLToPath(new URL("..", import.meta.url));
const DEMO_DEVELOPER = "dev_demo";
/** Each run tops the wallet up to at least this much test credit. */
const WALLET_FLOOR_USD = "1.00";
const WALLET_CREDIT_USD = "5.00";

const env = process.env;
const host = env.HOST ?? "127.0.0.1";
// Where clients reach a service bound to every interface.
const reachable = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
const apiUrl = `http://${reachable}:${env.PORT_API ?? 3001}`;
const gatewayUrl = `http://${reachable}:${env.PORT_GATEWAY ?? 3002}`;
const crmPort = Number(env.CRM_PORT ?? DEFAULT_CRM_PORT);
const crmOrigin = `http://${reachable}:${crmPort}`;
const dataDir = resolve(env.MODELFAUCET_DATA_DIR ?? ".modelfaucet");

const say = (line: string) => process.stdout.write(`${line}\n`);

/** A token from the environment, else the one `modelfaucet start` generated into the data directory. */
function token(variable: "ADMIN_TOKEN" | "DEVELOPER_ADMIN_TOKEN", file: string): string {
  const given = env[variable];
  if (given) return given;
  try {
    return readFileSync(join(dataDir, file), "utf8").trim();
  } catch {
    throw new Error(`${variable} is not set and ${join(dataDir, file)} cannot be read: set ${variable}`);
  }
}

async function assertPortFree(port: number) {
  const probe = createNetServer();
  await new Promise<void>((done, fail) => {
    probe.once("error", () => fail(new Error(`CRM_PORT ${port} is in use: free it or set CRM_PORT`)));
    probe.listen(port, host, () => probe.close(() => done()));
  });
}

const addOrigin = (list: string | undefined) => (list ? `${list},${crmOrigin}` : crmOrigin);

/** What is running, closed in reverse order by `stop`. */
const running: { crm?: Server; model?: DemoModel; stack?: StackProcess } = {};
let stopping = false;

async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  const { crm, model, stack } = running;
  crm?.closeAllConnections();
  await Promise.all([new Promise((done) => (crm ? crm.close(done) : done(undefined))), model?.close()]);
  const stackCode = (await stack?.stop()) ?? 0;
  process.exit(code || stackCode);
}

async function main() {
  process.once("SIGINT", () => void stop(0));
  process.once("SIGTERM", () => void stop(0));
  await assertPortFree(crmPort);
  const model = (running.model = await startDemoModel({ host: reachable }));
  const stack = (running.stack = startStack({
    MOCK_UPSTREAM_URL: model.url,
    LOG_LEVEL: env.LOG_LEVEL ?? "warn",
    // The CRM's page calls the Control API and the Gateway from its own origin.
    API_CORS_ORIGINS: addOrigin(env.API_CORS_ORIGINS),
    GATEWAY_CORS_ORIGINS: addOrigin(env.GATEWAY_CORS_ORIGINS),
    // So a BYOK key may name the demo model on loopback; a real deployment leaves this unset.
    PROVIDER_ALLOW_PRIVATE_HOSTS: env.PROVIDER_ALLOW_PRIVATE_HOSTS ?? reachable,
  }));
  void stack.exited.then((code) => {
    if (!stopping) {
      process.stderr.write(`crm-demo: modelfaucet start stopped (code ${code}); stopping the demo\n`);
      void stop(code || 1);
    }
  });

  await waitUntilReady(`${apiUrl}/ready`, stack.exited);
  await waitUntilReady(`${gatewayUrl}/ready`, stack.exited);

  const stateFile = demoStateFile(dataDir);
  const app = await seedCrmApp({
    apiUrl,
    developerToken: token("DEVELOPER_ADMIN_TOKEN", "developer-admin-token"),
    developerId: DEMO_DEVELOPER,
    previous: readDemoState(stateFile),
  });
  writeDemoState(stateFile, app);

  const config = crmConfigFromEnv({
    ...env,
    CRM_HOST: host,
    CRM_PORT: String(crmPort),
    CRM_API_URL: apiUrl,
    CRM_PUBLIC_APP_ID: app.publicAppId,
    CRM_APP_SECRET_KEY: app.secretKey,
  });
  const available = await fundDemoWallet({
    apiUrl,
    adminToken: token("ADMIN_TOKEN", "admin-token"),
    app,
    externalUserId: config.user.id,
    belowUsd: WALLET_FLOOR_USD,
    creditUsd: WALLET_CREDIT_USD,
  });

  say("Building the CRM…");
  await build({ configFile: join(EXAMPLE_DIR, "vite.config.ts"), logLevel: "warn" });
  const crm = (running.crm = createCrmServer(config));
  await new Promise<void>((done) => crm.listen(crmPort, host, done));
  const { port } = crm.address() as AddressInfo;

  const bridgeCommand = `node --import tsx apps/bridge/src/cli.ts start --allow-origin ${crmOrigin} --api ${apiUrl}`;
  say(
    [
      "",
      "Parcelly CRM, a ModelFaucet demo, is running",
      `  Open         http://${reachable}:${port}/`,
      `  Signed in    ${config.user.name} (${config.user.id}), wallet ${available} USD of test credit`,
      `  App          ${app.publicAppId}, signed; its secret key is in ${stateFile}`,
      `  Model        a scripted stand-in at ${model.url}/v1 (no real provider is called)`,
      "",
      "Try:",
      "  Inbox → a ticket → ✦ Draft with AI (Stop halts it), Summarize thread, Extract fields; Search by meaning.",
      "  Every answer shows its route, tokens and cost; the Credits badge moves by exactly that cost.",
      `  Your own key: AI settings → OpenAI-compatible, any key, base URL ${model.url}/v1 → route "Your own key".`,
      "  A local model: start the Local Bridge next to Ollama (or LM Studio, vLLM, llama.cpp) — in this repo:",
      `    ${bridgeCommand}`,
      "  No local model server? Let the stand-in play one (the bridge takes it for LM Studio):",
      `    ${bridgeCommand} --upstream lm_studio=${model.url}`,
      '  then AI settings → "Local model": the call goes from the page to the bridge; the cloud gets token counts only.',
      "",
      "Ctrl-C stops everything.",
      "",
    ].join("\n"),
  );
}

main().catch((error: Error) => {
  process.stderr.write(`crm-demo: ${error.message}\n`);
  void stop(1);
});
