import { createHash, randomBytes } from "node:crypto";

/** Prefixes say what a token is when it shows up in a log or a support ticket. */
export const TOKEN_PREFIX = {
  session: "mf_sess_",
  developer: "mf_dev_",
  appSecretKey: "mf_app_sk_",
  /** The dashboard's session cookie (never a bearer token). */
  console: "mf_con_",
} as const;

/** Random bytes in every bearer token: 256 bits, beyond guessing. */
const TOKEN_BYTES = 32;

/** A new bearer token: the prefix and 32 random bytes, base64url. */
export function newToken(prefix: string): string {
  return `${prefix}${randomBytes(TOKEN_BYTES).toString("base64url")}`;
}

/** SHA-256 hex: the only form in which bearer tokens are stored. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** A short, non-secret handle to show in listings (`mf_dev_AbC1…`). */
export function tokenDisplayPrefix(token: string, prefix: string): string {
  return token.slice(0, prefix.length + 4);
}

/** A new random id with a type prefix, e.g. `ses_3f9a…`. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString("hex")}`;
}
