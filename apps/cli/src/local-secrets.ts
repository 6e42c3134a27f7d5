import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { assertDataDirLayout, ensurePrivateDir, PRIVATE_FILE_MODE } from "@modelfaucet/db";
import type { Config } from "@modelfaucet/server-kit";

function readOrCreate(file: string, make: () => string): string {
  try {
    writeFileSync(file, `${make()}\n`, { mode: PRIVATE_FILE_MODE, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const value = readFileSync(file, "utf8").trim();
  if (!value) throw new Error(`${file} is empty; delete it and a new one is generated`);
  return value;
}

export interface LocalSecrets {
  /** Variables to add to the environment: a generated value for each secret the operator left unset. */
  env: Record<string, string>;
  /** Files holding the generated tokens; undefined where the operator set the token. */
  adminTokenFile: string | undefined;
  developerTokenFile: string | undefined;
}

/**
 * For local use only: when ADMIN_TOKEN, DEVELOPER_ADMIN_TOKEN or
 * SECRET_ENCRYPTION_KEY is unset outside production, make a random one and
 * keep it in the data directory (mode 0600, the directory 0700), so the next
 * start uses the same — no default secret ships with the code. The caller
 * loads the configuration again with `env`, which validates these values too.
 */
export function localSecrets(config: Config): LocalSecrets {
  const env: Record<string, string> = {};
  if (config.NODE_ENV === "production") return { env, adminTokenFile: undefined, developerTokenFile: undefined };
  const dir = config.MODELFAUCET_DATA_DIR;
  assertDataDirLayout(dir);
  ensurePrivateDir(dir);
  const secret = (
    variable: "SECRET_ENCRYPTION_KEY" | "ADMIN_TOKEN" | "DEVELOPER_ADMIN_TOKEN",
    file: string,
    make: () => string,
  ) => {
    if (config[variable] !== undefined) return undefined;
    const path = join(dir, file);
    env[variable] = readOrCreate(path, make);
    return path;
  };
  secret("SECRET_ENCRYPTION_KEY", "secret-key", () => randomBytes(32).toString("hex"));
  const token = (prefix: string) => () => `${prefix}${randomBytes(24).toString("base64url")}`;
  return {
    env,
    adminTokenFile: secret("ADMIN_TOKEN", "admin-token", token("mf_admin_")),
    developerTokenFile: secret("DEVELOPER_ADMIN_TOKEN", "developer-admin-token", token("mf_devadmin_")),
  };
}
