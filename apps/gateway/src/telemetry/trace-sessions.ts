import { inChildSpan, type SessionAuthenticator } from "@modelfaucet/server-kit";
import type { Tracer } from "@opentelemetry/api";

/** `sessions` with an `auth` span around each authentication; it records whether it passed, never the token. */
export function traceSessions(sessions: SessionAuthenticator, tracer: Tracer): SessionAuthenticator {
  return {
    authenticate: (token) => inChildSpan(tracer, "auth", {}, () => sessions.authenticate(token)),
  };
}
