import { envSchema, SECRET_VARIABLES, type Env } from "./env-schema.js";

/** The validated configuration both services are built from; read once at boot. */
export type Config = Env;

/** A configuration problem, always naming the variable at fault. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
    this.name = "ConfigError";
  }
}

// Values people paste from examples; never acceptable as a production secret.
const PLACEHOLDER = /^(change[-_]?me|changeme|secret|password|admin|test|example|dev|development|x+|0+)$/i;
const MIN_PRODUCTION_TOKEN_LENGTH = 32;

/**
 * Parses and checks the environment. Throws a ConfigError for the first bad
 * variable; the caller prints its message as one line and exits. Values of
 * secret variables are never part of the message.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set", as in most shells' `VAR= cmd`.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ""));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? "environment");
    const value = present[variable];
    const shown =
      value === undefined || SECRET_VARIABLES.has(variable) ? "" : ` (got ${JSON.stringify(value.slice(0, 100))})`;
    throw new ConfigError(variable, `${issue.message}${shown}`);
  }
  const config = parsed.data;
  if (config.NODE_ENV === "production") assertProductionReady(config);
  return config;
}

function assertProductionReady(config: Config): void {
  for (const variable of ["API_CORS_ORIGINS", "GATEWAY_CORS_ORIGINS"] as const) {
    const origins = config[variable];
    if (!origins || origins.length === 0) {
      throw new ConfigError(variable, "required in production: list the allowed browser origins explicitly");
    }
    if (origins.includes("*")) throw new ConfigError(variable, 'must not contain "*" in production');
  }
  if (!config.ADMIN_TOKEN) throw new ConfigError("ADMIN_TOKEN", "required in production");
  if (config.ADMIN_TOKEN.length < MIN_PRODUCTION_TOKEN_LENGTH || PLACEHOLDER.test(config.ADMIN_TOKEN)) {
    throw new ConfigError(
      "ADMIN_TOKEN",
      `must be a random value of at least ${MIN_PRODUCTION_TOKEN_LENGTH} characters in production`,
    );
  }
  if (!config.SECRET_ENCRYPTION_KEY) throw new ConfigError("SECRET_ENCRYPTION_KEY", "required in production");
  if (/^(.)\1*$/.test(config.SECRET_ENCRYPTION_KEY)) {
    throw new ConfigError("SECRET_ENCRYPTION_KEY", "must be random, not a repeated character");
  }
}
