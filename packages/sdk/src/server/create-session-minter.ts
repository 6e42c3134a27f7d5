import { attempt, withRetries } from "../http/attempt.js";
import { newRequestId } from "../http/request-id.js";
import { MAX_RETRIES } from "../http/retry-policy.js";
import type { SessionGrant } from "../session/session-grant.js";
import type { CreateSessionRequest, SessionResponse } from "../wire-types.js";

export interface SessionMinterOptions {
  /** The app's secret key, `mf_app_sk_…` (developer console). Server-side only. */
  secretKey: string;
  /** The Control API's origin, e.g. `https://api.example.com`. */
  apiBaseUrl: string;
  /** Default: the global fetch. */
  fetch?: typeof fetch | undefined;
}

export interface MintParams {
  publicAppId: string;
  /** The app's own id for the signed-in user; the API stores it only hashed. */
  externalUserId: string;
  /** Ties the session to one feature of the app. */
  featureKey?: string | undefined;
  /** At most 4 KiB as JSON. */
  metadata?: Record<string, unknown> | undefined;
}

export interface SessionMinter {
  /** A session for one end user: hand it to that user's browser (your endpoint returns it as JSON). */
  mint(params: MintParams, options?: { signal?: AbortSignal | undefined }): Promise<SessionGrant>;
}

/**
 * Mints sessions on the app's server with its secret key (`POST /v1/sessions`,
 * `Authorization: Bearer mf_app_sk_…`). A failure is a typed FaucetError;
 * 429 and 5xx are retried like every SDK call (minting twice is harmless:
 * the first session just expires unused).
 */
export function createSessionMinter(options: SessionMinterOptions): SessionMinter {
  const fetchImpl: typeof fetch = (input, init) => (options.fetch ?? globalThis.fetch)(input, init);
  const url = `${options.apiBaseUrl.replace(/\/+$/, "")}/v1/sessions`;
  return {
    async mint(params, { signal } = {}) {
      const body: CreateSessionRequest = {
        public_app_id: params.publicAppId,
        external_user_id: params.externalUserId,
        ...(params.featureKey === undefined ? {} : { feature_key: params.featureKey }),
        ...(params.metadata === undefined ? {} : { metadata: params.metadata }),
      };
      const requestId = newRequestId();
      const init = {
        method: "POST",
        headers: {
          authorization: `Bearer ${options.secretKey}`,
          "content-type": "application/json",
          "x-request-id": requestId,
        },
        body: JSON.stringify(body),
        signal: signal ?? null,
      };
      // The lifetime counts from before the request, so expiresAt is never later than the server's.
      const sentAt = Date.now();
      const response = await withRetries(() => attempt(fetchImpl, url, init, requestId), {
        signal,
        idempotent: true,
        maxRetries: MAX_RETRIES,
      });
      const session = (await response.json()) as SessionResponse;
      return {
        token: session.session_token,
        expiresAt: sentAt + session.expires_in * 1000,
        gatewayBaseUrl: session.gateway_base_url,
        availableModes: session.available_modes,
        walletBalanceUsd: session.wallet_balance_usd,
      };
    },
  };
}
