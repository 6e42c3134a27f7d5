import { createServer } from "node:net";

/** A port a service will listen on, with the variable that sets it. */
export interface PortSetting {
  variable: string;
  port: number;
}

/** The port a service needs is taken (or not ours to bind); names the variable that moves it. */
export class PortUnavailableError extends Error {
  constructor(host: string, setting: PortSetting, reason: string) {
    super(
      `port ${setting.port} on ${host} (${setting.variable}) ${reason}; ` +
        `stop what uses it, or set ${setting.variable} to a free port`,
    );
    this.name = "PortUnavailableError";
  }
}

function tryBind(host: string, setting: PortSetting): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (error: NodeJS.ErrnoException) => {
      const reason =
        error.code === "EADDRINUSE" ? "is already in use" : `cannot be bound (${error.code ?? error.message})`;
      reject(new PortUnavailableError(host, setting, reason));
    });
    probe.listen({ host, port: setting.port, exclusive: true }, () => probe.close(() => resolve()));
  });
}

/**
 * Binds each port once and lets it go, so a taken port stops the process
 * before it opens, migrates or seeds anything. Another process can still take
 * the port in between; listening then fails as before, with nothing worse.
 */
export async function assertPortsFree(host: string, settings: PortSetting[]): Promise<void> {
  for (const setting of settings) await tryBind(host, setting);
}
