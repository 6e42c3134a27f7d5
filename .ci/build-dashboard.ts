// CI builds the dashboard before the tests, beside lint and typecheck: every
// test that runs `modelfaucet start` would otherwise build it at its first
// start (the build is stamped with its inputs hash and then reused), inside
// that test's boot timeout and perhaps in two test workers at once.
import { fileURLToPath } from "node:url";
import { buildIfStale } from "../apps/dashboard/src/server/build-if-stale.js";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const log = (level: string) => (fields: object, message: string) =>
  process.stdout.write(`${level}: ${message} ${JSON.stringify(fields)}\n`);

await buildIfStale({
  dashboardDir: fileURLToPath(new URL("../apps/dashboard", import.meta.url)),
  repoRoot,
  logger: { info: log("info"), warn: log("warn"), error: log("error") },
}).ready;
