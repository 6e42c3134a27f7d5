import { DEMO } from "@modelfaucet/db";
import type { DashboardOptions, RunningDashboard } from "@modelfaucet/dashboard";
import { assertPortsFree, loadConfigOrExit, runServices, type ShutdownStep } from "@modelfaucet/server-kit";
import { localSecrets } from "../local-secrets.js";
import { apiUrlFor, dashboardPortFree } from "./dashboard-settings.js";

// The services load only once the configuration and the ports are known to be
// good, so a mistake there is reported at once, not after seconds of imports.
async function loadServices() {
  const [{ buildApi }, { buildGateway }, { startMockUpstream }, { startWorker }, { startDashboard }] =
    await Promise.all([
      import("@modelfaucet/api"),
      import("@modelfaucet/gateway"),
      import("@modelfaucet/providers"),
      import("@modelfaucet/worker"),
      import("@modelfaucet/dashboard"),
    ]);
  return { buildApi, buildGateway, startMockUpstream, startWorker, startDashboard };
}

/** The dashboard as one of the background steps (so shutdown closes it), and its line in the banner. */
function dashboardBeside(start: (options: DashboardOptions) => Promise<RunningDashboard>, options: DashboardOptions) {
  const running = start(options);
  // Not listening (the port taken since it was checked) leaves the API and Gateway running: the banner says so.
  running.catch((error: unknown) => options.logger.error({ err: error }, "the dashboard did not start"));
  const step: ShutdownStep = { name: "dashboard", close: async () => (await running.catch(() => undefined))?.close() };
  const line = () =>
    running.then(
      (dashboard) => `${dashboard.url}${options.mode === "development" ? " (Vite dev server, hot reload)" : ""}`,
      (error: unknown) => `not started: ${(error as Error).message}`,
    );
  return { step, line };
}

/**
 * `modelfaucet start`: API, Gateway, worker, dashboard and — unless
 * MOCK_UPSTREAM_URL points elsewhere — the built-in mock provider, in one
 * process. `dev` serves the dashboard from Vite's dev server (hot reload)
 * instead of its production build.
 */
export async function startCommand(options: { dev: boolean } = { dev: false }): Promise<void> {
  const given = loadConfigOrExit();
  // Before the first file is written to the data directory: a taken port
  // must not leave a half-made one behind.
  await assertPortsFree(given.HOST, [
    { variable: "PORT_API", port: given.PORT_API },
    { variable: "PORT_GATEWAY", port: given.PORT_GATEWAY },
  ]);
  const withDashboard = await dashboardPortFree(given);
  const { env, adminTokenFile, developerTokenFile } = localSecrets(given);
  const { buildApi, buildGateway, startMockUpstream, startWorker, startDashboard } = await loadServices();
  const mock = given.MOCK_UPSTREAM_URL ? undefined : await startMockUpstream({ port: 0 });
  const config = loadConfigOrExit({ ...process.env, ...env, ...(mock ? { MOCK_UPSTREAM_URL: mock.url } : {}) });
  let dashboard: ReturnType<typeof dashboardBeside> | undefined;
  const { urls, runtime } = await runServices(
    config,
    [
      { name: "api", portVariable: "PORT_API", build: buildApi },
      { name: "gateway", portVariable: "PORT_GATEWAY", build: buildGateway },
    ],
    {
      migratePostgres: true,
      background: ({ db }, logger) => {
        // Once the API listens: the dashboard passes the pages' calls to it.
        dashboard = withDashboard
          ? dashboardBeside(startDashboard, {
              host: config.HOST,
              port: config.PORT_DASHBOARD,
              apiUrl: apiUrlFor(config),
              mode: options.dev ? "development" : "production",
              logger,
            })
          : undefined;
        return [
          {
            name: "worker",
            close: startWorker(db, logger, { intervalMs: config.WORKER_INTERVAL_MS, batchSize: 1000 }),
          },
          ...(mock ? [{ name: "mock upstream", close: () => mock.close() }] : []),
          ...(dashboard ? [dashboard.step] : []),
        ];
      },
    },
  );
  const token = adminTokenFile ? `$(cat ${adminTokenFile})` : "$ADMIN_TOKEN";
  const lines = [
    "",
    "ModelFaucet is running",
    `  Control API  ${urls.api}`,
    `  Gateway      ${urls.gateway}/v1`,
    `  Dashboard    ${dashboard ? await dashboard.line() : `not started (PORT_DASHBOARD ${config.PORT_DASHBOARD} is in use)`}`,
    `  Database     ${runtime.db.kind === "embedded" ? `embedded (in ${config.MODELFAUCET_DATA_DIR})` : "PostgreSQL (DATABASE_URL)"}`,
    `  Upstream     ${mock ? `built-in mock provider (${mock.url})` : config.MOCK_UPSTREAM_URL}`,
    `  Demo app     ${DEMO.appId}`,
    ...(adminTokenFile ? [`  Admin token  in ${adminTokenFile}`] : []),
    ...(developerTokenFile ? [`  Developer admin token  in ${developerTokenFile}`] : []),
    "",
    "Try:",
    `  curl -s ${urls.api}/ready`,
    `  SESSION=$(curl -s ${urls.api}/v1/sessions -H 'content-type: application/json' \\`,
    `    -d '{"public_app_id":"${DEMO.appId}","external_user_id":"me@example.com"}' | sed -E 's/.*"session_token":"([^"]+)".*/\\1/')`,
    `  WALLET=$(curl -s ${urls.api}/v1/user/wallet -H "Authorization: Bearer $SESSION" | sed -E 's/.*"wallet_id":"([^"]+)".*/\\1/')`,
    `  curl -s ${urls.api}/v1/admin/wallets/$WALLET/credit-test-balance -H "Authorization: Bearer ${token}" \\`,
    `    -H 'content-type: application/json' -d '{"amount_usd":"5.00"}'`,
    `  curl -s ${urls.gateway}/v1/chat/completions -H "Authorization: Bearer $SESSION" -H 'content-type: application/json' \\`,
    `    -d '{"model":"mock-small","messages":[{"role":"user","content":"Hello"}]}'`,
    "",
  ];
  process.stdout.write(lines.join("\n") + "\n");
}
