import { createHash, timingSafeEqual } from "node:crypto";
import { AppError } from "@modelfaucet/core";
import { hashToken, TOKEN_PREFIX } from "@modelfaucet/crypto";
import type { Queryable } from "@modelfaucet/db";
import type { FastifyRequest } from "fastify";
import { bearerToken } from "./static-token.js";

/** What a developer token may do (CONTRACT.md "Tokens"). A token only ever acts for its own developer. */
export const DEVELOPER_SCOPES = [
  "developer:apps:read",
  "developer:apps:write",
  "developer:features:read",
  "developer:features:write",
  "developer:operations:read",
  "developer:provider_keys:read",
  "developer:provider_keys:write",
  "developer:tokens:read",
  "developer:tokens:write",
] as const;

export type DeveloperScope = (typeof DEVELOPER_SCOPES)[number];

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

export interface DeveloperAuthOptions {
  db: Queryable;
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

interface TokenRow {
  id: string;
  developer_id: string;
  scopes: string[];
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
  developer_status: string;
}

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
  const { db } = options;
  const adminDigest = options.adminToken ? digest(options.adminToken) : undefined;
  const lastUsedIntervalMs = options.lastUsedWriteIntervalMs ?? DEFAULT_LAST_USED_INTERVAL_MS;
  if (!Number.isSafeInteger(lastUsedIntervalMs) || lastUsedIntervalMs < 0) {
    throw new RangeError(`lastUsedWriteIntervalMs must be a non-negative integer, got ${String(lastUsedIntervalMs)}`);
  }
  const intervalSeconds = lastUsedIntervalMs / 1000;

  async function fromToken(token: string): Promise<DeveloperPrincipal> {
    const { rows } = await db.query<TokenRow>(
      `SELECT t.id, t.developer_id, t.scopes, t.expires_at, t.revoked_at, t.last_used_at, d.status AS developer_status
       FROM developer_tokens t JOIN developers d ON d.id = t.developer_id
       WHERE t.token_hash = $1`,
      [hashToken(token)],
    );
    const row = rows[0];
    if (!row || row.revoked_at !== null) throw new AppError("unauthorized", "Unknown or revoked developer token.");
    const now = Date.now();
    if (row.expires_at !== null && row.expires_at.getTime() <= now) {
      throw new AppError("unauthorized", "This developer token has expired; create a new one.");
    }
    if (row.developer_status !== "active") throw new AppError("forbidden", "This developer account is suspended.");
    if (row.last_used_at === null || now - row.last_used_at.getTime() >= lastUsedIntervalMs) {
      // The WHERE keeps concurrent requests from writing twice within the interval.
      await db.query(
        `UPDATE developer_tokens SET last_used_at = now()
         WHERE id = $1 AND (last_used_at IS NULL OR last_used_at <= now() - make_interval(secs => $2))`,
        [row.id, intervalSeconds],
      );
    }
    return { developerId: row.developer_id, scopes: row.scopes.filter(isScope), tokenId: row.id };
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
