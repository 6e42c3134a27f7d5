/** Where the bridge tells what it does: one line per event; fields never hold a ticket, a prompt or an answer. */
export interface BridgeLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: BridgeLogger = { info: () => undefined, warn: () => undefined };

/** Lines on stderr: `message key=value…`, or one JSON object per line with `json`. */
export function streamLogger(write: (line: string) => void, json: boolean): BridgeLogger {
  const line = (level: string, message: string, fields: Record<string, unknown> = {}) =>
    write(
      json
        ? `${JSON.stringify({ level, time: new Date().toISOString(), message, ...fields })}\n`
        : `${[message, ...Object.entries(fields).map(([key, value]) => `${key}=${String(value)}`)].join(" ")}\n`,
    );
  return {
    info: (message, fields) => line("info", message, fields),
    warn: (message, fields) => line("warn", message, fields),
  };
}
