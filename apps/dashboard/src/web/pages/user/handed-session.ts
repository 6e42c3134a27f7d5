import { createFaucet, type Faucet } from "@modelfaucet/sdk";

/** How long a handed-over session is assumed to live when the link does not say (SESSION_TOKEN_TTL_SECONDS' default). */
const ASSUMED_LIFETIME_MS = 3_600_000;

let faucet: Faucet | null = null;

/**
 * The end user's session, handed over by their app in the URL fragment
 * (`/user#session=mf_sess_…&expires_at=<epoch ms>`): the fragment never
 * reaches a server, and it is removed from the address bar and history at
 * once. The token is then held in memory only, by the SDK; a reload needs a
 * new link from the app.
 */
export function handedOverFaucet(): Faucet | null {
  if (faucet) return faucet;
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  const token = fragment.get("session");
  if (!token?.startsWith("mf_sess_")) return null;
  window.history.replaceState(null, "", window.location.pathname + window.location.search);
  const expiresAt = Number(fragment.get("expires_at")) || Date.now() + ASSUMED_LIFETIME_MS;
  const grant = { token, expiresAt, gatewayBaseUrl: "", availableModes: [], walletBalanceUsd: "0.00000000" };
  // No way to renew a handed-over session: the same grant until it ends.
  faucet = createFaucet({ getSession: async () => grant, apiBaseUrl: window.location.origin });
  return faucet;
}
