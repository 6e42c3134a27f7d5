import { consoleSessionSchema, consoleSignInBody, type ConsoleSession } from "@modelfaucet/contract";
import { AppError } from "@modelfaucet/core";
import { hashToken, newToken, TOKEN_PREFIX } from "@modelfaucet/crypto";
import type { Database } from "@modelfaucet/db";
import {
  ANY_DEVELOPER,
  consoleCookie,
  type ConsoleSessionAuth,
  type ConsoleSessionContext,
  type RouteContract,
  withContract,
} from "@modelfaucet/server-kit";
import { createConsoleSession, revokeConsoleSession } from "@modelfaucet/store";
import type { FastifyInstance, FastifyRequest } from "fastify";

const signInRoute = {
  summary: "Sign in to the dashboard: a token for an httpOnly session cookie",
  description:
    "The token (an `mf_dev_` token, DEVELOPER_ADMIN_TOKEN or ADMIN_TOKEN) is checked, never stored; the answer sets " +
    "`mf_console` (HttpOnly, SameSite=Strict, Secure over https) and gives the CSRF token that POST, PATCH and " +
    "DELETE requests with the cookie must send in `x-csrf-token`. The session acts as the token did and ends at " +
    "CONSOLE_SESSION_TTL_SECONDS, at sign-out, or when that token is revoked or expires.",
  auth: "none",
  body: consoleSignInBody,
  status: 201,
  response: consoleSessionSchema,
} satisfies RouteContract;

const currentRoute = {
  summary: "The dashboard session of the cookie: who it acts as, until when, its CSRF token",
  description:
    "204 with no body when the request carries no live session (none, expired, revoked): how a page asks whether " +
    "it is signed in without an error in the browser's console.",
  auth: "console",
  response: consoleSessionSchema,
} satisfies RouteContract;

const signOutRoute = {
  summary: "Sign out: the session is revoked and the cookie cleared",
  auth: "console",
  status: 204,
} satisfies RouteContract;

export interface ConsoleSessionsOptions {
  db: Database;
  consoleAuth: ConsoleSessionAuth;
  ttlSeconds: number;
}

const toWire = (session: Omit<ConsoleSessionContext, "id" | "standsFor">): ConsoleSession => ({
  authority: session.authority,
  developer_id:
    session.developer && session.developer.developerId !== ANY_DEVELOPER ? session.developer.developerId : null,
  scopes: [...(session.developer?.scopes ?? [])],
  expires_at: session.expiresAt.toISOString(),
  csrf_token: session.csrfToken,
});

function signedIn(request: FastifyRequest): ConsoleSessionContext {
  if (!request.consoleSession) {
    throw new AppError("unauthorized", "No console session: it expired, was revoked, or never was. Sign in again.");
  }
  return request.consoleSession;
}

/**
 * The dashboard's sign-in (see server-kit's console-session-auth.ts for how
 * the cookie is then accepted on developer and admin routes):
 * `POST /v1/console/sessions`, `GET /v1/console/session`, `DELETE /v1/console/session`.
 */
export async function consoleSessionRoutes(
  app: FastifyInstance,
  { db, consoleAuth, ttlSeconds }: ConsoleSessionsOptions,
) {
  app.post("/v1/console/sessions", withContract(signInRoute), async (request, reply) => {
    // A page on another site must not sign its visitor in to an account of its choosing.
    consoleAuth.refuseCrossSite(request);
    const { token } = signInRoute.body.parse(request.body);
    const grant = await consoleAuth.grantFor(token);
    const sessionToken = newToken(TOKEN_PREFIX.console);
    const ttlEnd = Date.now() + ttlSeconds * 1000;
    const expiresAt = new Date(grant.notAfter ? Math.min(ttlEnd, grant.notAfter.getTime()) : ttlEnd);
    await createConsoleSession(db, {
      tokenHash: hashToken(sessionToken),
      authority: grant.authority,
      developerTokenId: grant.developerTokenId,
      credentialHash: grant.credentialHash,
      expiresAt,
    });
    const session = await consoleAuth.contextFor(sessionToken);
    if (!session) throw new Error("invariant: a console session just stored is not live");
    reply.header("set-cookie", consoleCookie(request, sessionToken, (expiresAt.getTime() - Date.now()) / 1000));
    reply.header("cache-control", "no-store");
    return reply.code(201).send(toWire(session));
  });

  app.get("/v1/console/session", withContract(currentRoute), async (request, reply) => {
    reply.header("cache-control", "no-store");
    if (!request.consoleSession) return reply.code(204).send();
    return toWire(request.consoleSession);
  });

  app.delete("/v1/console/session", withContract(signOutRoute), async (request, reply) => {
    await revokeConsoleSession(db, signedIn(request).id);
    reply.header("set-cookie", consoleCookie(request, null));
    return reply.code(204).send();
  });
}
