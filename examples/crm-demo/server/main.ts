// The CRM's backend as a process: `pnpm --filter @modelfaucet/crm-demo serve`
// after `build`, with the variables crmConfigFromEnv names (`pnpm demo` sets
// them and runs the same server in its own process).
import type { AddressInfo } from "node:net";
import { CrmConfigError, crmConfigFromEnv } from "./crm-config.js";
import { createCrmServer } from "./crm-server.js";

let config;
try {
  config = crmConfigFromEnv(process.env);
} catch (error) {
  if (!(error instanceof CrmConfigError)) throw error;
  process.stderr.write(`crm-demo: ${error.message}\n`);
  process.exit(2);
}
const server = createCrmServer(config);
server.listen(config.port, config.host, () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`CRM demo on http://${config.host}:${port}/\n`);
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
