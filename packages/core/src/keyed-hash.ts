import { createHmac, hkdfSync } from "node:crypto";

/**
 * A sub-key for one purpose, derived from the master key with HKDF-SHA256, so
 * one configured secret serves several uses without any of them revealing it.
 */
export function deriveKey(masterKey: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync("sha256", masterKey, Buffer.alloc(0), `modelfaucet:${purpose}`, 32));
}

/**
 * How an app's own user id is stored: HMAC-SHA256 under a server key, scoped
 * to the app. A bare hash of an email address can be reversed by guessing;
 * a keyed one cannot without the key.
 */
export function hashExternalUserId(key: Buffer, appId: string, externalUserId: string): string {
  return createHmac("sha256", key).update(appId).update("\0").update(externalUserId).digest("hex");
}
