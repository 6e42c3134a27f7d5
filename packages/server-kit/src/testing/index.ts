import { Writable } from "node:stream";
import { loadConfig, type Config } from "../config/load-config.js";
import { createLogger, type Logger } from "../logger.js";

/** A valid test configuration: defaults, quiet logs, plus the given variables. */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", ...env });
}

/** A logger whose JSON lines are kept in `lines`, to assert on what gets logged. */
export function captureLogger(level: "info" | "debug" | "trace" = "debug"): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split("\n").filter(Boolean));
      done();
    },
  });
  return { logger: createLogger({ level, destination }), lines };
}

// For tracing tests: spans kept in memory, exported as each one ends.
export { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-node";
