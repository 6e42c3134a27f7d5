import { SessionError } from "../errors/faucet-error.js";
import type { SessionGrant } from "./session-grant.js";

export interface SessionKeeper {
  /** A token that is not about to expire: the one held, or a new one from `getSession`. */
  current(): Promise<SessionGrant>;
  /**
   * A new session, because the server found `staleToken` expired. Callers
   * that saw the same stale token share one `getSession` call; one that
   * saw an older token gets the session already renewed.
   */
  renew(staleToken: string): Promise<SessionGrant>;
}

interface Held {
  grant: SessionGrant;
  receivedAt: number;
}

/**
 * Holds the session in memory (never in storage) and renews it before it
 * expires: `refreshSkewMs` ahead, or half its lifetime ahead for sessions
 * shorter than twice that, so a short TTL does not renew on every call.
 * Renewal is single-flight: concurrent callers wait for the same call.
 */
export function createSessionKeeper(
  getSession: () => Promise<SessionGrant>,
  refreshSkewMs: number,
  now: () => number = Date.now,
): SessionKeeper {
  let held: Held | undefined;
  let renewing: Promise<SessionGrant> | undefined;

  const fresh = ({ grant, receivedAt }: Held) =>
    now() < grant.expiresAt - Math.min(refreshSkewMs, (grant.expiresAt - receivedAt) / 2);

  function fetchSession(): Promise<SessionGrant> {
    renewing ??= (async () => {
      try {
        const grant = checkedGrant(await getSession());
        held = { grant, receivedAt: now() };
        return grant;
      } finally {
        renewing = undefined;
      }
    })();
    return renewing;
  }

  return {
    current: () => (held && fresh(held) && !renewing ? Promise.resolve(held.grant) : fetchSession()),
    renew(staleToken) {
      if (held && held.grant.token !== staleToken && fresh(held) && !renewing) return Promise.resolve(held.grant);
      return fetchSession();
    },
  };
}

function checkedGrant(grant: SessionGrant): SessionGrant {
  const valid =
    typeof grant?.token === "string" &&
    grant.token !== "" &&
    Number.isFinite(grant.expiresAt) &&
    typeof grant.gatewayBaseUrl === "string";
  if (!valid) {
    throw new SessionError({
      code: "invalid_session",
      message: "getSession must resolve to {token, expiresAt (epoch ms), gatewayBaseUrl, …} as mint() returns it.",
      status: 0,
    });
  }
  return grant;
}
