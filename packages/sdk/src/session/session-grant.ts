import type { RouteMode } from "../wire-types.js";

/**
 * A session for one end user, as the app's server mints it
 * (`createSessionMinter().mint`) and its client's `getSession` returns it.
 * Plain data, so it crosses the app's own endpoint as JSON unchanged.
 */
export interface SessionGrant {
  /** `mf_sess_…`: the Gateway and session-API bearer. Keep it in memory only. */
  token: string;
  /** When the token expires: epoch milliseconds (a number, so it survives JSON). */
  expiresAt: number;
  /** The Gateway's OpenAI base URL, ending in `/v1`. */
  gatewayBaseUrl: string;
  /** The route modes the session's feature (or app) allows. */
  availableModes: RouteMode[];
  /** The wallet's posted balance when the session was minted ("12.34000000"). */
  walletBalanceUsd: string;
}
