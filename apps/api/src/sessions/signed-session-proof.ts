import { timingSafeEqual } from "node:crypto";
import { AppError } from "@modelfaucet/core";
import {
  MAX_USER_ASSERTION_LIFETIME_SECONDS,
  signUserAssertion,
  TOKEN_PREFIX,
  type SecretKeyring,
} from "@modelfaucet/crypto";
import type { Queryable } from "@modelfaucet/db";
import { isLiveAppSecretKey, liveAppSecretKeys } from "@modelfaucet/store";

/** What a request to mint a session for a `signed` app shows to prove it comes from the app's backend. */
export interface SignedSessionProof {
  appId: string;
  externalUserId: string;
  /** The Authorization bearer, if any: the secret key itself. */
  bearer: string | undefined;
  /** `user_assertion` and `assertion_expires_at` (unix seconds), if sent. */
  assertion: { signature: string; expiresAtSeconds: number } | undefined;
}

/**
 * Refuses (403 `forbidden`) unless the request carries one of the app's live
 * secret keys as its bearer, or a live HMAC assertion of this very user id
 * made with one of them (see signUserAssertion). Either way nobody holding
 * only the public app id can mint a session and spend a user's wallet.
 */
export async function assertSignedByApp(db: Queryable, keyring: SecretKeyring, proof: SignedSessionProof) {
  if (proof.bearer?.startsWith(TOKEN_PREFIX.appSecretKey)) return assertLiveSecretKey(db, proof.appId, proof.bearer);
  if (proof.assertion) return assertUserAssertion(db, keyring, proof, proof.assertion);
  throw new AppError(
    "forbidden",
    "This app mints sessions only for its backend: send Authorization: Bearer mf_app_sk_… or a user_assertion.",
  );
}

async function assertLiveSecretKey(db: Queryable, appId: string, key: string): Promise<void> {
  if (!(await isLiveAppSecretKey(db, appId, key)))
    throw new AppError("forbidden", "Invalid or revoked app secret key.");
}

/**
 * The assertion must be unexpired, expire within
 * MAX_USER_ASSERTION_LIFETIME_SECONDS (which bounds its replay), and match
 * the HMAC under one of the app's live keys — compared in constant time.
 */
async function assertUserAssertion(
  db: Queryable,
  keyring: SecretKeyring,
  proof: SignedSessionProof,
  assertion: { signature: string; expiresAtSeconds: number },
): Promise<void> {
  const nowSeconds = Math.floor(Date.now() / 1000);
  if (assertion.expiresAtSeconds <= nowSeconds) throw new AppError("forbidden", "The user assertion has expired.");
  if (assertion.expiresAtSeconds > nowSeconds + MAX_USER_ASSERTION_LIFETIME_SECONDS) {
    throw new AppError(
      "forbidden",
      `A user assertion may expire at most ${MAX_USER_ASSERTION_LIFETIME_SECONDS} s ahead; assertion_expires_at is too far.`,
    );
  }
  const given = Buffer.from(assertion.signature, "hex");
  for (const key of await liveAppSecretKeys(db, keyring, proof.appId)) {
    const expected = signUserAssertion(key, proof.appId, proof.externalUserId, assertion.expiresAtSeconds);
    if (timingSafeEqual(Buffer.from(expected, "hex"), given)) return;
  }
  throw new AppError("forbidden", "Invalid user assertion for this app and user.");
}
