import { createHash, timingSafeEqual } from "node:crypto";
import { DEVELOPER_SCOPES, type DeveloperScope } from "@modelfaucet/contract";
import { AppError } from "@modelfaucet/core";
import { hashToken, TOKEN_PREFIX } from "@modelfaucet/crypto";
import type { Queryable } from "@modelfaucet/db";
import type { FastifyRequest } from "fastify";
import { bearerToken } from "./static-token.js";

/** The operator's bootstrap token acts for this "developer": every developer, named per request. */
export const ANY_DEVELOPER = "*";

/**
 * Who is calling a developer route.
 * - A `mf_dev_` token: `developerId` is its developer, `scopes` its own,
 *   `tokenId` its row id.
 * - The bootstrap DEVELOPER_ADMIN_TOKEN: `developerId` is ANY_DEVELOPER, all
 *   scopes, `tokenId` null; routes then take the developer from the request.
 */
export interface DeveloperPrincipal {
  developerId: string;
  scopes: readonly DeveloperScope[];
  tokenId: string | null;
}

declare module "fastify" {
  interface FastifyRequest {
    /** Set by `requireDeveloper` hooks; absent on routes without one. */
    developer?: DeveloperPrincipal;
  }
}

/** A `mf_dev_` token as authentication needs it: never the token or its hash. */
export interface DeveloperTokenCredential {
  id: string;
  developerId: string;
  /** As stored; scopes this build does not know are dropped. */
  scopes: string[];
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  developerStatus: string;
}

/** Where developer tokens are looked up: the apps pass the store's functions. */
export interface DeveloperTokenLookup {
  /** The token whose SHA-256 is `tokenHash`, revoked and expired ones included; undefined when unknown. */
  findByHash(db: Queryable, tokenHash: string): Promise<DeveloperTokenCredential | undefined>;
  /** Records a use, unless one was recorded within the last `intervalSeconds`. */
  markUsed(db: Queryable, tokenId: string, intervalSeconds: number): Promise<void>;
}

export interface DeveloperAuthOptions {
  db: Queryable;
  tokens: DeveloperTokenLookup;
  /** DEVELOPER_ADMIN_TOKEN; undefined = no bootstrap access, only `mf_dev_` tokens. */
  adminToken: string | undefined;
  /**
   * Least time between two writes of a token's `last_used_at`, ms (default
   * 60 000): a busy token costs one UPDATE a minute, not one per request.
   */
  lastUsedWriteIntervalMs?: number;
}

/** Longest bearer string looked up; real tokens are ~50 characters. */
const MAX_TOKEN_LENGTH = 200;
const DEFAULT_LAST_USED_INTERVAL_MS = 60_000;

const digest = (value: string) => createHash("sha256").update(value).digest();
const isScope = (value: string): value is DeveloperScope => (DEVELOPER_SCOPES as readonly string[]).includes(value);

/**
 * Authenticates developer routes: `Bearer mf_dev_…` (looked up by hash on
 * every request, so a revocation or expiry takes effect at once) or the
 * bootstrap DEVELOPER_ADMIN_TOKEN (compared in constant time). Unknown,
 * expired or revoked tokens are 401 `unauthorized`; a missing scope is 403
 * `forbidden`.
 */
export function createDeveloperAuthenticator(options: DeveloperAuthOptions) {
  const { db, tokens } = options;
  const adminDigest = options.adminToken ? digest(options.adminToken) : undefined;
  const lastUsedIntervalMs = options.lastUsedWriteIntervalMs ?? DEFAULT_LAST_USED_INTERVAL_MS;
  if (!Number.isSafeInteger(lastUsedIntervalMs) || lastUsedIntervalMs < 0) {
    throw new RangeError(`lastUsedWriteIntervalMs must be a non-negative integer, got ${String(lastUsedIntervalMs)}`);
  }
  const intervalSeconds = lastUsedIntervalMs / 1000;

  async function fromToken(token: string): Promise<DeveloperPrincipal> {
    const credential = await tokens.findByHash(db, hashToken(token));
    if (!credential || credential.revokedAt !== null) {
      throw new AppError("unauthorized", "Unknown or revoked developer token.");
    }
    const now = Date.now();
    if (credential.expiresAt !== null && credential.expiresAt.getTime() <= now) {
      throw new AppError("unauthorized", "This developer token has expired; create a new one.");
    }
    if (credential.developerStatus !== "active") {
      throw new AppError("forbidden", "This developer account is suspended.");
    }
    if (credential.lastUsedAt === null || now - credential.lastUsedAt.getTime() >= lastUsedIntervalMs) {
      await tokens.markUsed(db, credential.id, intervalSeconds);
    }
    return { developerId: credential.developerId, scopes: credential.scopes.filter(isScope), tokenId: credential.id };
  }

  async function authenticate(request: FastifyRequest): Promise<DeveloperPrincipal> {
    if (request.developer) return request.developer;
    const token = bearerToken(request);
    if (!token) {
      throw new AppError("unauthorized", "Send Authorization: Bearer mf_dev_… (or the DEVELOPER_ADMIN_TOKEN).");
    }
    let principal: DeveloperPrincipal;
    if (adminDigest && timingSafeEqual(digest(token), adminDigest)) {
      principal = { developerId: ANY_DEVELOPER, scopes: DEVELOPER_SCOPES, tokenId: null };
    } else if (token.startsWith(TOKEN_PREFIX.developer) && token.length <= MAX_TOKEN_LENGTH) {
      principal = await fromToken(token);
    } else {
      throw new AppError("unauthorized", "Unknown developer token.");
    }
    request.developer = principal;
    return principal;
  }

  return {
    /** An onRequest hook: authenticates the caller and requires `scope`; sets `request.developer`. */
    requireDeveloper(scope: DeveloperScope) {
      return async (request: FastifyRequest): Promise<void> => {
        const principal = await authenticate(request);
        if (!principal.scopes.includes(scope)) {
          throw new AppError("forbidden", `This developer token lacks the ${scope} scope.`);
        }
      };
    },
  };
}

export type DeveloperAuthenticator = ReturnType<typeof createDeveloperAuthenticator>;

/** The caller set by a `requireDeveloper` hook; a route without one is a programming error. */
export function developerOf(request: FastifyRequest): DeveloperPrincipal {
  const principal = request.developer;
  if (!principal) throw new Error("invariant: developer route registered without a requireDeveloper hook");
  return principal;
}

/**
 * The developer a request acts for. A token acts for its own developer only:
 * naming another one is 403 `forbidden`. The bootstrap token must name one
 * (`required`) or, where listing across developers is allowed, gets null.
 */
export function actingDeveloperId(principal: DeveloperPrincipal, named: string | undefined, field: string): string;
export function actingDeveloperId(
  principal: DeveloperPrincipal,
  named: string | undefined,
  field: string,
  optional: "optional",
): string | null;
export function actingDeveloperId(
  principal: DeveloperPrincipal,
  named: string | undefined,
  field: string,
  optional?: "optional",
): string | null {
  if (principal.developerId !== ANY_DEVELOPER) {
    if (named !== undefined && named !== principal.developerId) {
      throw new AppError("forbidden", `${field}: this token acts for its own developer only.`);
    }
    return principal.developerId;
  }
  if (named !== undefined) return named;
  if (optional) return null;
  throw new AppError("invalid_request", `${field}: is required with the DEVELOPER_ADMIN_TOKEN.`);
}

/** The tenant filter of data-layer queries: the caller's developer, or null for the bootstrap token (any). */
export function tenantOf(principal: DeveloperPrincipal): string | null {
  return principal.developerId === ANY_DEVELOPER ? null : principal.developerId;
}
