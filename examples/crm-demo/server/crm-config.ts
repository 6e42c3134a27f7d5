import { fileURLToPath } from "node:url";

/** What the CRM's backend needs, read once from the environment at start. */
export interface CrmConfig {
  host: string;
  port: number;
  /** The Control API's origin: sessions are minted there, and the browser reads the wallet and keys there. */
  apiBaseUrl: string;
  /** The CRM's app on ModelFaucet (`app_…`) and its secret key (`mf_app_sk_…`), which never leaves this process. */
  publicAppId: string;
  secretKey: string;
  /** The signed-in user, as the CRM knows them (this demo has one): ModelFaucet sees only a hash of the id. */
  user: { id: string; name: string };
  /** Where the browser looks for the Local Bridge; undefined: the SDK's default (http://127.0.0.1:8787). */
  localBridgeUrl: string | undefined;
  /** The built page (`vite build`). */
  staticDir: string;
}

export const DEFAULT_CRM_PORT = 5180;
const DEFAULT_USER = { id: "dana@parcelly.example", name: "Dana Whitfield" };
const BUILT_PAGE_DIR = fileURLToPath(new URL("../dist", import.meta.url));

/** Thrown for a missing or malformed variable, naming it. */
export class CrmConfigError extends Error {}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new CrmConfigError(`${name} is required`);
  return value;
}

function origin(env: NodeJS.ProcessEnv, name: string, value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === "http:" || url.protocol === "https:") return url.origin;
  } catch {
    // Reported below, with the variable's name.
  }
  throw new CrmConfigError(`${name} must be an http(s) URL (got ${JSON.stringify(value.slice(0, 100))})`);
}

/**
 * CRM_API_URL, CRM_PUBLIC_APP_ID and CRM_APP_SECRET_KEY are required;
 * CRM_HOST (127.0.0.1), CRM_PORT (5180), CRM_USER_ID, CRM_USER_NAME,
 * CRM_BRIDGE_URL and CRM_STATIC_DIR are optional.
 */
export function crmConfigFromEnv(env: NodeJS.ProcessEnv): CrmConfig {
  const port = Number(env.CRM_PORT ?? DEFAULT_CRM_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new CrmConfigError(`CRM_PORT must be a port number (got ${JSON.stringify(env.CRM_PORT)})`);
  }
  const secretKey = required(env, "CRM_APP_SECRET_KEY");
  if (!secretKey.startsWith("mf_app_sk_")) throw new CrmConfigError("CRM_APP_SECRET_KEY must be an app secret key");
  const bridge = env.CRM_BRIDGE_URL?.trim();
  return {
    host: env.CRM_HOST?.trim() || "127.0.0.1",
    port,
    apiBaseUrl: origin(env, "CRM_API_URL", required(env, "CRM_API_URL")),
    publicAppId: required(env, "CRM_PUBLIC_APP_ID"),
    secretKey,
    user: { id: env.CRM_USER_ID?.trim() || DEFAULT_USER.id, name: env.CRM_USER_NAME?.trim() || DEFAULT_USER.name },
    localBridgeUrl: bridge ? origin(env, "CRM_BRIDGE_URL", bridge) : undefined,
    staticDir: env.CRM_STATIC_DIR?.trim() || BUILT_PAGE_DIR,
  };
}
