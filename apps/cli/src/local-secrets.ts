import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

function readOrCreate(file: string, make: () => string): string {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${make()}\n`, { mode: 0o600 });
  }
  return readFileSync(file, "utf8").trim();
}

/**
 * For local use only: when ADMIN_TOKEN, DEVELOPER_ADMIN_TOKEN or SECRET_ENCRYPTION_KEY is unset
 * outside production, make a random one, keep it beside the embedded data
 * (mode 600) and use it — no default secret ships with the code. Returns the
 * token files, undefined where the operator set the token.
 */
export function ensureLocalSecrets(env: NodeJS.ProcessEnv): {
  adminTokenFile: string | undefined;
  developerTokenFile: string | undefined;
} {
  if (env.NODE_ENV === "production") return { adminTokenFile: undefined, developerTokenFile: undefined };
  const dir = dirname(env.MODELFAUCET_DATA_DIR || "./.modelfaucet/data");
  if (!env.SECRET_ENCRYPTION_KEY) {
    env.SECRET_ENCRYPTION_KEY = readOrCreate(join(dir, "secret-key"), () => randomBytes(32).toString("hex"));
  }
  const token = (variable: "ADMIN_TOKEN" | "DEVELOPER_ADMIN_TOKEN", file: string, prefix: string) => {
    if (env[variable]) return undefined;
    const path = join(dir, file);
    env[variable] = readOrCreate(path, () => `${prefix}${randomBytes(24).toString("base64url")}`);
    return path;
  };
  return {
    adminTokenFile: token("ADMIN_TOKEN", "admin-token", "mf_admin_"),
    developerTokenFile: token("DEVELOPER_ADMIN_TOKEN", "developer-admin-token", "mf_devadmin_"),
  };
}
