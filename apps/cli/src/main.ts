import { parseArgs } from "node:util";
import { dbCommand } from "./commands/db.js";
import { secretsCommand } from "./commands/secrets-rotate.js";
import { smokeCommand } from "./commands/smoke.js";
import { startCommand } from "./commands/start.js";

const USAGE = `usage: modelfaucet <command>

  start                         API + Gateway in one process (embedded database unless DATABASE_URL is set)
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
    help: { type: "boolean", short: "h" },
  },
});

const [command, ...rest] = positionals;
if (values.help || !command) {
  process.stdout.write(USAGE);
  process.exit(command || values.help ? 0 : 2);
}

try {
  if (command === "start") await startCommand();
  else if (command === "smoke") await smokeCommand();
  else if (command === "db") await dbCommand(rest, values);
  else if (command === "secrets") await secretsCommand(rest);
  else {
    process.stderr.write(`modelfaucet: unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
    process.exit(2);
  }
} catch (error) {
  process.stderr.write(`modelfaucet: ${(error as Error).message}\n`);
  process.exit(1);
}
