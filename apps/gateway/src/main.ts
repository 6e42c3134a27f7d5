import { loadConfigOrExit, runServices } from "@modelfaucet/server-kit";
import { buildGateway } from "./build-gateway.js";

// Standalone Gateway for production: `node --import tsx apps/gateway/src/main.ts`.
const config = loadConfigOrExit();
await runServices(config, [{ name: "gateway", portVariable: "PORT_GATEWAY", build: buildGateway }], {
  migratePostgres: false,
});
