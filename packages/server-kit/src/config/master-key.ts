import type { Config } from "./load-config.js";

// Used only outside production when no SECRET_ENCRYPTION_KEY is set (production
// refuses to boot without one). Data keyed with it is not protected.
const INSECURE_DEVELOPMENT_KEY = Buffer.alloc(32, "modelfaucet-insecure-development");

/** The master key as bytes: from SECRET_ENCRYPTION_KEY (hex or base64), or the development stand-in. */
export function masterKey(config: Config): { key: Buffer; insecure: boolean } {
  const value = config.SECRET_ENCRYPTION_KEY;
  if (!value) return { key: INSECURE_DEVELOPMENT_KEY, insecure: true };
  return { key: Buffer.from(value, /^[0-9a-fA-F]{64}$/.test(value) ? "hex" : "base64"), insecure: false };
}
