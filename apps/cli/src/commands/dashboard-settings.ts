import { assertPortsFree, PortUnavailableError, type Config } from "@modelfaucet/server-kit";

/**
 * Whether the dashboard's port is free. A taken one does not stop `start`
 * (5173 is Vite's default, often held by another project's dev server): the
 * API and the Gateway run without the dashboard, and one line says why.
 */
export async function dashboardPortFree(config: Config): Promise<boolean> {
  try {
    await assertPortsFree(config.HOST, [{ variable: "PORT_DASHBOARD", port: config.PORT_DASHBOARD }]);
    return true;
  } catch (error) {
    if (!(error instanceof PortUnavailableError)) throw error;
    process.stderr.write(`modelfaucet: ${error.message}; starting without the dashboard\n`);
    return false;
  }
}

/** The API as the dashboard's proxy reaches it: a wildcard HOST listens on every address, loopback included. */
export function apiUrlFor(config: Config): string {
  const host = config.HOST === "0.0.0.0" ? "127.0.0.1" : config.HOST === "::" ? "::1" : config.HOST;
  return `http://${host.includes(":") ? `[${host}]` : host}:${config.PORT_API}`;
}
