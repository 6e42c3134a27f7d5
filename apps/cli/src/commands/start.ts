import { DEMO } from "@modelfaucet/db";
import { assertPortsFree, loadConfigOrExit, runServices } from "@modelfaucet/server-kit";
import { localSecrets } from "../local-secrets.js";

// The services load only once the configuration and the ports are known to be
// good, so a mistake there is reported at once, not after seconds of imports.
async function loadServices() {
  const [{ buildApi }, { buildGateway }, { startMockUpstream }, { startWorker }] = await Promise.all([
    import("@modelfaucet/api"),
    import("@modelfaucet/gateway"),
    import("@modelfaucet/providers"),
    import("@modelfaucet/worker"),
  ]);
  return { buildApi, buildGateway, startMockUpstream, startWorker };
}

/**
 * `modelfaucet start`: API, Gateway, worker and — unless MOCK_UPSTREAM_URL
 * points elsewhere — the built-in mock provider, in one process.
 */
export async function startCommand(): Promise<void> {
  const given = loadConfigOrExit();
  // Before the first file is written to the data directory: a taken port
  // must not leave a half-made one behind.
  await assertPortsFree(given.HOST, [
    { variable: "PORT_API", port: given.PORT_API },
    { variable: "PORT_GATEWAY", port: given.PORT_GATEWAY },
  ]);
  const { env, adminTokenFile, developerTokenFile } = localSecrets(given);
  const { buildApi, buildGateway, startMockUpstream, startWorker } = await loadServices();
  const mock = given.MOCK_UPSTREAM_URL ? undefined : await startMockUpstream({ port: 0 });
  const config = loadConfigOrExit({ ...process.env, ...env, ...(mock ? { MOCK_UPSTREAM_URL: mock.url } : {}) });
  const { urls, runtime } = await runServices(
    config,
    [
      { name: "api", portVariable: "PORT_API", build: buildApi },
      { name: "gateway", portVariable: "PORT_GATEWAY", build: buildGateway },
    ],
    {
      migratePostgres: true,
      background: ({ db }, logger) => [
        { name: "worker", close: startWorker(db, logger, { intervalMs: config.WORKER_INTERVAL_MS, batchSize: 1000 }) },
        ...(mock ? [{ name: "mock upstream", close: () => mock.close() }] : []),
      ],
    },
  );
  const token = adminTokenFile ? `$(cat ${adminTokenFile})` : "$ADMIN_TOKEN";
  const lines = [
    "",
    "ModelFaucet is running",
    `  Control API  ${urls.api}`,
    `  Gateway      ${urls.gateway}/v1`,
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
