import { createHmac } from "node:crypto";

/** How far ahead an assertion may expire: the API refuses longer-lived ones. */
export const MAX_ASSERTION_LIFETIME_SECONDS = 300;

export interface UserAssertionParams {
  /** The app's secret key (`mf_app_sk_…`): the HMAC key. It stays on the server. */
  secretKey: string;
  publicAppId: string;
  externalUserId: string;
  /** When the assertion expires, unix seconds (default: 300 s from now, the most allowed). */
  expiresAtSeconds?: number | undefined;
}

/** The two fields a client adds to its `POST /v1/sessions` body. */
export interface UserAssertion {
  user_assertion: string;
  assertion_expires_at: number;
}

/**
 * A user assertion: lets a client mint a session for this one user of this
 * one app until it expires, without the secret key (README, "Signed
 * sessions"): lowercase hex HMAC-SHA256, keyed by the secret key's text, over
 * `modelfaucet-user-assertion:v1\n<public_app_id>\n<external_user_id>\n<assertion_expires_at>`.
 */
export function signUserAssertion(params: UserAssertionParams): UserAssertion {
  const expiresAt = params.expiresAtSeconds ?? Math.floor(Date.now() / 1000) + MAX_ASSERTION_LIFETIME_SECONDS;
  const payload = ["modelfaucet-user-assertion:v1", params.publicAppId, params.externalUserId, expiresAt].join("\n");
  return {
    user_assertion: createHmac("sha256", params.secretKey).update(payload).digest("hex"),
    assertion_expires_at: expiresAt,
  };
}
