import { ConfigError, loadConfig, type Config } from "./load-config.js";

/** For entry points: a bad variable ends the process with one line naming it. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`modelfaucet: invalid configuration: ${error.message}\n`);
    process.exit(1);
  }
}
