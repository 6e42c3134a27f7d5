import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * For local use only: when ADMIN_TOKEN is unset outside production, make a
 * random one, keep it beside the embedded data (mode 600) and use it, so the
 * admin routes work without a shipped default secret. Returns the file, or
 * undefined when the operator configured a token themselves.
 */
export function ensureLocalAdminToken(env: NodeJS.ProcessEnv): string | undefined {
  if (env.ADMIN_TOKEN || env.NODE_ENV === "production") return undefined;
  const file = join(dirname(env.MODELFAUCET_DATA_DIR || "./.modelfaucet/data"), "admin-token");
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `mf_admin_${randomBytes(24).toString("base64url")}\n`, { mode: 0o600 });
  }
  env.ADMIN_TOKEN = readFileSync(file, "utf8").trim();
  return file;
}
