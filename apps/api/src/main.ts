import { loadConfigOrExit, runServices } from "@modelfaucet/server-kit";
import { buildApi } from "./build-api.js";

// Standalone Control API for production: `node --import tsx apps/api/src/main.ts`.
const config = loadConfigOrExit();
await runServices(config, [{ name: "api", portVariable: "PORT_API", build: buildApi }], { migratePostgres: false });
