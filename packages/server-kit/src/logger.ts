import { pino, type Logger, type LevelWithSilent } from "pino";

// Field names that hold credentials wherever they appear (one or two levels
// deep, plus request headers). Keep every redaction path here, in one place.
const SECRET_FIELDS = [
  "authorization",
  "cookie",
  "api_key",
  "apiKey",
  "x-api-key",
  "password",
  "secret",
  "token",
  "session_token",
  "access_token",
  "refresh_token",
  "client_secret",
  "encryption_key",
];

export const REDACT_PATHS = [
  ...SECRET_FIELDS.map((field) => `["${field}"]`),
  ...SECRET_FIELDS.map((field) => `*["${field}"]`),
  ...SECRET_FIELDS.map((field) => `*.*["${field}"]`),
  'req.headers["set-cookie"]',
  'res.headers["set-cookie"]',
];

export interface LoggerOptions {
  level: LevelWithSilent;
  /** Where lines go; stdout by default. Tests pass a stream to inspect them. */
  destination?: NodeJS.WritableStream;
}

/** The process logger: JSON lines, secrets replaced by "[redacted]". */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      base: { pid: process.pid },
    },
    options.destination ?? pino.destination({ sync: false }),
  );
}

export type { Logger };
