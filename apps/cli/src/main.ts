import { parseArgs } from "node:util";

const USAGE = `usage: modelfaucet <command>

  start [--dev]                 API, Gateway, worker and dashboard in one process (embedded database unless
                                DATABASE_URL is set); --dev serves the dashboard with hot reload (pnpm dev)
  smoke                         the revenue loop once, end to end (DATABASE_URL, or a temporary embedded database)
  db migrate                    apply pending migrations
  db seed                       insert the demo developer, app and feature (idempotent)
  db backup [--out FILE]        back up DATABASE_URL (pg_dump) or the embedded database
  db restore FILE (--database-url URL | --data-dir DIR)
                                restore a backup into a new, empty database
  secrets rotate                re-wrap stored secrets from SECRET_ENCRYPTION_KEY_PREVIOUS to SECRET_ENCRYPTION_KEY
`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    out: { type: "string" },
    "database-url": { type: "string" },
    "data-dir": { type: "string" },
    dev: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  },
});

const [command, ...rest] = positionals;
if (values.help || !command) {
  process.stdout.write(USAGE);
  process.exit(command || values.help ? 0 : 2);
}

// Each command imports only what it uses: `db migrate` does not load the
// Gateway, which saves seconds per run.
try {
  if (command === "start") await (await import("./commands/start.js")).startCommand({ dev: values.dev ?? false });
  else if (command === "smoke") await (await import("./commands/smoke.js")).smokeCommand();
  else if (command === "db") await (await import("./commands/db.js")).dbCommand(rest, values);
  else if (command === "secrets") await (await import("./commands/secrets-rotate.js")).secretsCommand(rest);
  else {
    process.stderr.write(`modelfaucet: unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
    process.exit(2);
  }
} catch (error) {
  process.stderr.write(`modelfaucet: ${(error as Error).message}\n`);
  process.exit(1);
}
