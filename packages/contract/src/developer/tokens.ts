import { z } from "zod";
import { DEVELOPER_ID, prefixedId } from "../ids.js";
import { listOf, timestamp } from "../wire.js";

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

/** Lifetime of a token created without `expires_at`. */
export const DEFAULT_TOKEN_LIFETIME_DAYS = 90;
/** Longest lifetime a token may be given. No token lives forever: a leaked one must stop on its own. */
export const MAX_TOKEN_LIFETIME_DAYS = 365;

/**
 * `POST /v1/developer/tokens`. `expires_at` must also be in the future and
 * within MAX_TOKEN_LIFETIME_DAYS (checked against the server's clock); a
 * token never grants a scope its creator does not hold.
 */
export const createTokenBody = z.strictObject({
  developer_id: z.string().regex(DEVELOPER_ID, { error: "must be a developer id (dev_…)" }).optional(),
  name: z.string().trim().min(1).max(200),
  scopes: z
    .array(z.enum(DEVELOPER_SCOPES, { error: `each scope must be one of ${DEVELOPER_SCOPES.join(", ")}` }))
    .min(1, { error: "must name at least one scope" })
    .max(DEVELOPER_SCOPES.length)
    .refine((scopes) => new Set(scopes).size === scopes.length, { error: "must not repeat a scope" }),
  expires_at: z.iso
    .datetime({
      offset: true,
      error: (issue) =>
        issue.input === null
          ? `tokens always expire: omit it for ${DEFAULT_TOKEN_LIFETIME_DAYS} days, or give a date within ${MAX_TOKEN_LIFETIME_DAYS} days`
          : "must be an ISO 8601 date-time",
    })
    .optional(),
});

export type CreateTokenRequest = z.input<typeof createTokenBody>;

export const tokenParams = z.object({
  id: z.string().regex(prefixedId("tok"), { error: "must be a developer token id (tok_…)" }),
});

/** A token as listed: its prefix, never the token or its hash. */
export const developerTokenSchema = z.object({
  id: z.string(),
  developer_id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.enum(DEVELOPER_SCOPES)),
  created_at: timestamp,
  expires_at: timestamp.nullable(),
  last_used_at: timestamp.nullable(),
  revoked_at: timestamp.nullable(),
});

export type DeveloperToken = z.output<typeof developerTokenSchema>;

/** A new token: `token` (`mf_dev_…`) is in this answer only. */
export const createdTokenSchema = developerTokenSchema.extend({ token: z.string() });

export type CreatedToken = z.output<typeof createdTokenSchema>;

export const developerTokenListSchema = listOf(developerTokenSchema);
