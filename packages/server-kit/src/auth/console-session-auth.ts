import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { CSRF_HEADER, DEVELOPER_SCOPES, type ConsoleAuthority } from "@modelfaucet/contract";
import { AppError } from "@modelfaucet/core";
import { hashToken, TOKEN_PREFIX } from "@modelfaucet/crypto";
import type { Queryable } from "@modelfaucet/db";
import type { FastifyRequest } from "fastify";
import { CONSOLE_COOKIE, readCookie } from "./console-cookie.js";
import {
  ANY_DEVELOPER,
  type DeveloperPrincipal,
  type DeveloperTokenCredential,
  type DeveloperTokenLookup,
} from "./developer-auth.js";

/** A console session as authentication needs it: never its token or the token's hash. */
export interface ConsoleSessionCredential {
  id: string;
  authority: ConsoleAuthority;
  expiresAt: Date;
  revokedAt: Date | null;
  /** SHA-256 hex of the bootstrap token an admin session was opened with; null for developer sessions. */
  credentialHash: string | null;
  /** The `mf_dev_` token a developer session was opened with, as it is now; null for the admin authorities. */
  developerToken: DeveloperTokenCredential | null;
}

/** Where console sessions are looked up: the API passes the store's functions. */
export interface ConsoleSessionLookup {
  /** The session whose token hashes to `tokenHash`, revoked and expired ones included; undefined when unknown. */
  findByHash(db: Queryable, tokenHash: string): Promise<ConsoleSessionCredential | undefined>;
}

/** What a signed-in console request carries, set by the `resolve` hook. */
export interface ConsoleSessionContext {
  id: string;
  authority: ConsoleAuthority;
  /** What developer routes see: the signing token's developer and live scopes, any developer, or null (operator). */
  developer: DeveloperPrincipal | null;
  expiresAt: Date;
  /** The token a page sends in `x-csrf-token` on unsafe methods. */
  csrfToken: string;
  /**
   * The bootstrap token this session stands in for (`ADMIN_TOKEN` for an
   * operator session): requireStaticToken admits it as if that token had been sent.
   */
  standsFor: "ADMIN_TOKEN" | null;
}

declare module "fastify" {
  interface FastifyRequest {
    /** Set by the console session hook when a valid `mf_console` cookie came without an Authorization header. */
    consoleSession?: ConsoleSessionContext;
  }
}

/** What a token signs in as, and until when at the latest (a developer token's own expiry). */
export interface ConsoleGrant {
  authority: ConsoleAuthority;
  developerTokenId: string | null;
  credentialHash: string | null;
  notAfter: Date | null;
}

export interface ConsoleSessionAuthOptions {
  db: Queryable;
  sessions: ConsoleSessionLookup;
  developerTokens: Pick<DeveloperTokenLookup, "findByHash">;
  adminToken: string | undefined;
  developerAdminToken: string | undefined;
  /** HMAC key of the CSRF tokens (derived from the master key). */
  csrfKey: Buffer;
}

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
/** Longest token looked up; real ones are ~50 characters. */
const MAX_TOKEN_LENGTH = 200;

const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");
const sameText = (a: string, b: string) => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

/**
 * The dashboard's cookie sessions. `resolve` (an onRequest hook on the whole
 * API) turns a valid `mf_console` cookie into the same request context a
 * bearer token gives — `request.developer` for developer sessions, a
 * `consoleSession` that stands for ADMIN_TOKEN for the operator — so every
 * developer and admin route accepts either. A request with an Authorization
 * header is left to it; the cookie is then ignored.
 *
 * CSRF: the cookie is SameSite=Strict, and an unsafe method (POST, PUT,
 * PATCH, DELETE) with the cookie must also carry `x-csrf-token` (an HMAC of
 * the session token, which a page only learns from the session endpoints)
 * and, when the browser sends one, an Origin equal to the API's own. Either
 * missing or wrong is 403 `forbidden`.
 */
export function createConsoleSessionAuth(options: ConsoleSessionAuthOptions) {
  const { db, csrfKey } = options;
  const adminHash = options.adminToken ? sha256(options.adminToken) : undefined;
  const developerAdminHash = options.developerAdminToken ? sha256(options.developerAdminToken) : undefined;
  const csrfFor = (sessionToken: string) => createHmac("sha256", csrfKey).update(sessionToken).digest("base64url");

  /** The session's live authority, or undefined when it, or what opened it, no longer holds. */
  function contextOf(credential: ConsoleSessionCredential, csrfToken: string): ConsoleSessionContext | undefined {
    const now = Date.now();
    if (credential.revokedAt !== null || credential.expiresAt.getTime() <= now) return undefined;
    const base = { id: credential.id, authority: credential.authority, expiresAt: credential.expiresAt, csrfToken };
    if (credential.authority === "developer") {
      const token = credential.developerToken;
      if (!token || token.revokedAt !== null || token.developerStatus !== "active") return undefined;
      if (token.expiresAt !== null && token.expiresAt.getTime() <= now) return undefined;
      const scopes = DEVELOPER_SCOPES.filter((scope) => token.scopes.includes(scope));
      return { ...base, developer: { developerId: token.developerId, scopes, tokenId: token.id }, standsFor: null };
    }
    const current = credential.authority === "operator" ? adminHash : developerAdminHash;
    if (current === undefined || credential.credentialHash === null || !sameText(current, credential.credentialHash)) {
      return undefined;
    }
    if (credential.authority === "operator") return { ...base, developer: null, standsFor: "ADMIN_TOKEN" };
    return {
      ...base,
      developer: { developerId: ANY_DEVELOPER, scopes: DEVELOPER_SCOPES, tokenId: null },
      standsFor: null,
    };
  }

  /** The live session a cookie's token opens, or undefined (unknown, expired, revoked, or what opened it is gone). */
  async function contextFor(token: string): Promise<ConsoleSessionContext | undefined> {
    if (!token.startsWith(TOKEN_PREFIX.console) || token.length > MAX_TOKEN_LENGTH) return undefined;
    const credential = await options.sessions.findByHash(db, hashToken(token));
    return credential && contextOf(credential, csrfFor(token));
  }

  function refuseCrossSite(request: FastifyRequest): void {
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== `${request.protocol}://${request.host}`) {
      throw new AppError("forbidden", "This request comes from another origin than the console's.");
    }
    if (request.headers["sec-fetch-site"] === "cross-site") {
      throw new AppError("forbidden", "This request comes from another site than the console's.");
    }
  }

  return {
    csrfFor,
    refuseCrossSite,

    /** What `token` signs in as; 401 `unauthorized` when it is no token this server accepts. */
    async grantFor(token: string): Promise<ConsoleGrant> {
      const hash = sha256(token);
      if (adminHash && sameText(hash, adminHash)) {
        return { authority: "operator", developerTokenId: null, credentialHash: hash, notAfter: null };
      }
      if (developerAdminHash && sameText(hash, developerAdminHash)) {
        return { authority: "developer_admin", developerTokenId: null, credentialHash: hash, notAfter: null };
      }
      if (token.startsWith(TOKEN_PREFIX.developer) && token.length <= MAX_TOKEN_LENGTH) {
        const credential = await options.developerTokens.findByHash(db, hashToken(token));
        const now = Date.now();
        if (credential && credential.revokedAt === null && credential.developerStatus === "active") {
          if (credential.expiresAt === null || credential.expiresAt.getTime() > now) {
            return {
              authority: "developer",
              developerTokenId: credential.id,
              credentialHash: null,
              notAfter: credential.expiresAt,
            };
          }
        }
      }
      throw new AppError("unauthorized", "Unknown, revoked or expired token.");
    },

    contextFor,

    /** The onRequest hook: see above. */
    async resolve(request: FastifyRequest): Promise<void> {
      if (request.headers.authorization !== undefined) return;
      const token = readCookie(request.headers.cookie, CONSOLE_COOKIE);
      const context = token === undefined ? undefined : await contextFor(token);
      if (!context) return;
      const { csrfToken } = context;
      if (UNSAFE_METHODS.has(request.method)) {
        refuseCrossSite(request);
        const sent = request.headers[CSRF_HEADER];
        if (typeof sent !== "string" || !sameText(sent, csrfToken)) {
          throw new AppError("forbidden", `Send the session's CSRF token in ${CSRF_HEADER}.`);
        }
      }
      request.consoleSession = context;
      if (context.developer) request.developer = context.developer;
    },
  };
}

export type ConsoleSessionAuth = ReturnType<typeof createConsoleSessionAuth>;
