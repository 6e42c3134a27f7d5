import { buildApi } from "@modelfaucet/api";
import { DEMO } from "@modelfaucet/db";
import { buildGateway } from "@modelfaucet/gateway";
import { loadConfigOrExit, runServices } from "@modelfaucet/server-kit";
import { ensureLocalSecrets } from "../local-secrets.js";

/** `modelfaucet start`: everything in one process, ready for a first curl. */
export async function startCommand(): Promise<void> {
  const { adminTokenFile } = ensureLocalSecrets(process.env);
  const config = loadConfigOrExit();
  const { urls, runtime } = await runServices(
    config,
    [
      { name: "api", port: config.PORT_API, build: buildApi },
      { name: "gateway", port: config.PORT_GATEWAY, build: buildGateway },
    ],
    { migratePostgres: true },
  );
  const lines = [
    "",
    "ModelFaucet is running",
    `  Control API  ${urls.api}`,
    `  Gateway      ${urls.gateway}/v1`,
    `  Database     ${runtime.db.kind === "embedded" ? `embedded (${config.MODELFAUCET_DATA_DIR})` : "PostgreSQL (DATABASE_URL)"}`,
    `  Demo app     ${DEMO.appId}`,
    ...(adminTokenFile ? [`  Admin token  in ${adminTokenFile}`] : []),
    "",
    "Try:",
    `  curl -s ${urls.api}/ready`,
    ...(adminTokenFile
      ? [`  curl -s -H "Authorization: Bearer $(cat ${adminTokenFile})" ${urls.api}/v1/admin/developers`]
      : []),
    "",
  ];
  process.stdout.write(lines.join("\n") + "\n");
}
