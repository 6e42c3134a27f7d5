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
 * For local use only: when ADMIN_TOKEN or SECRET_ENCRYPTION_KEY is unset
 * outside production, make a random one, keep it beside the embedded data
 * (mode 600) and use it — no default secret ships with the code. Returns the
 * admin token's file, or undefined when the operator set the token.
 */
export function ensureLocalSecrets(env: NodeJS.ProcessEnv): { adminTokenFile: string | undefined } {
  if (env.NODE_ENV === "production") return { adminTokenFile: undefined };
  const dir = dirname(env.MODELFAUCET_DATA_DIR || "./.modelfaucet/data");
  if (!env.SECRET_ENCRYPTION_KEY) {
    env.SECRET_ENCRYPTION_KEY = readOrCreate(join(dir, "secret-key"), () => randomBytes(32).toString("hex"));
  }
  if (env.ADMIN_TOKEN) return { adminTokenFile: undefined };
  const adminTokenFile = join(dir, "admin-token");
  env.ADMIN_TOKEN = readOrCreate(adminTokenFile, () => `mf_admin_${randomBytes(24).toString("base64url")}`);
  return { adminTokenFile };
}
