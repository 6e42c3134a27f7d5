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

/** Longest an app may make a user assertion valid for, seconds: a leaked one is useless after this. */
export const MAX_USER_ASSERTION_LIFETIME_SECONDS = 300;

/**
 * The string an app's backend signs to vouch for one of its users
 * (`signed` session mode): versioned, one field per line. App ids have no
 * newline and the expiry is digits, so the user id between them is read back
 * unambiguously: two different assertions never sign the same bytes.
 */
export function userAssertionPayload(appId: string, externalUserId: string, expiresAtSeconds: number): string {
  return `modelfaucet-user-assertion:v1\n${appId}\n${externalUserId}\n${expiresAtSeconds}`;
}

/**
 * `user_assertion` for POST /v1/sessions: hex HMAC-SHA256, keyed by the app's
 * secret key (`mf_app_sk_…`, as text), over userAssertionPayload. What an
 * app's backend computes instead of sending the secret key itself.
 */
export function signUserAssertion(
  secretKey: string,
  appId: string,
  externalUserId: string,
  expiresAtSeconds: number,
): string {
  return createHmac("sha256", secretKey)
    .update(userAssertionPayload(appId, externalUserId, expiresAtSeconds))
    .digest("hex");
}
