import {
  actingDeveloperQuery,
  createdTokenSchema,
  createTokenBody,
  DEFAULT_TOKEN_LIFETIME_DAYS,
  developerTokenListSchema,
  developerTokenSchema,
  MAX_TOKEN_LIFETIME_DAYS,
  tokenParams,
  type DeveloperToken,
} from "@modelfaucet/contract";
import { AppError } from "@modelfaucet/core";
import { hashToken, newId, newToken, TOKEN_PREFIX, tokenDisplayPrefix } from "@modelfaucet/crypto";
import type { Database } from "@modelfaucet/db";
import {
  actingDeveloperId,
  developerOf,
  tenantOf,
  type DeveloperAuthenticator,
  type RouteContract,
  withContract,
} from "@modelfaucet/server-kit";
import type { FastifyInstance } from "fastify";
import { writeDeveloperAudit } from "../developer-console/developer-audit-log.js";
import {
  countActiveDeveloperTokens,
  insertDeveloperToken,
  listDeveloperTokens,
  MAX_ACTIVE_DEVELOPER_TOKENS,
  revokeDeveloperToken,
  type DeveloperTokenRow,
} from "../developer-console/token-store.js";

const DAY_MS = 86_400_000;

const createTokenRoute = {
  summary: "Create a developer token (mf_dev_…), shown in this answer only (scope developer:tokens:write)",
  description:
    `It expires ${DEFAULT_TOKEN_LIFETIME_DAYS} days after creation unless \`expires_at\` names a time within ` +
    `${MAX_TOKEN_LIFETIME_DAYS} days; it never holds a scope its creator does not.`,
  auth: "developer",
  body: createTokenBody,
  status: 201,
  response: createdTokenSchema,
} satisfies RouteContract;

const listTokensRoute = {
  summary: "A developer's tokens: prefixes, never the tokens (scope developer:tokens:read)",
  auth: "developer",
  query: actingDeveloperQuery,
  response: developerTokenListSchema,
} satisfies RouteContract;

const revokeTokenRoute = {
  summary: "Revoke a developer token (scope developer:tokens:write)",
  auth: "developer",
  params: tokenParams,
  response: developerTokenSchema,
} satisfies RouteContract;

/** A token as listed: its prefix, never the token or its hash. */
const tokenToWire = (row: DeveloperTokenRow): DeveloperToken => ({
  id: row.id,
  developer_id: row.developer_id,
  name: row.name,
  prefix: row.token_prefix,
  scopes: row.scopes,
  created_at: row.created_at.toISOString(),
  expires_at: row.expires_at?.toISOString() ?? null,
  last_used_at: row.last_used_at?.toISOString() ?? null,
  revoked_at: row.revoked_at?.toISOString() ?? null,
});

/** When a new token stops: `expires_at` if given (in the future, within the maximum), else the default lifetime. */
function checkedExpiry(expiresAt: string | undefined, now = Date.now()): Date {
  if (expiresAt === undefined) return new Date(now + DEFAULT_TOKEN_LIFETIME_DAYS * DAY_MS);
  const at = new Date(expiresAt);
  const inMs = at.getTime() - now;
  if (inMs <= 0) throw new AppError("invalid_request", "expires_at: must be in the future.");
  if (inMs > MAX_TOKEN_LIFETIME_DAYS * DAY_MS) {
    throw new AppError("invalid_request", `expires_at: must be within ${MAX_TOKEN_LIFETIME_DAYS} days.`);
  }
  return at;
}

export interface DeveloperTokensOptions {
  db: Database;
  auth: DeveloperAuthenticator;
}

/**
 * `POST|GET /v1/developer/tokens`, `DELETE /v1/developer/tokens/:id`. The
 * bootstrap token creates tokens for the developer it names; a token with
 * `developer:tokens:write` for its own developer only, and never with a
 * scope it does not hold itself. The token string is in the create response
 * only; the database keeps its SHA-256 and a short prefix. Every token
 * expires: DEFAULT_TOKEN_LIFETIME_DAYS after creation unless `expires_at`
 * names another time within MAX_TOKEN_LIFETIME_DAYS.
 */
export async function developerTokensRoutes(app: FastifyInstance, { db, auth }: DeveloperTokensOptions) {
  const tokensRead = { onRequest: auth.requireDeveloper("developer:tokens:read") };
  const tokensWrite = { onRequest: auth.requireDeveloper("developer:tokens:write") };

  app.post("/v1/developer/tokens", withContract(createTokenRoute, tokensWrite), async (request, reply) => {
    const body = createTokenRoute.body.parse(request.body);
    const caller = developerOf(request);
    const developerId = actingDeveloperId(caller, body.developer_id, "developer_id");
    const beyond = body.scopes.filter((scope) => !caller.scopes.includes(scope));
    if (beyond.length > 0) {
      throw new AppError("forbidden", `scopes: a token cannot grant scopes it does not hold (${beyond.join(", ")}).`);
    }
    const expiresAt = checkedExpiry(body.expires_at);
    const token = newToken(TOKEN_PREFIX.developer);
    const row = await db.transaction(async (tx) => {
      const developer = await tx.query("SELECT 1 FROM developers WHERE id = $1 FOR UPDATE", [developerId]);
      if (developer.rows.length === 0) throw new AppError("not_found", "Unknown developer_id.");
      if ((await countActiveDeveloperTokens(tx, developerId)) >= MAX_ACTIVE_DEVELOPER_TOKENS) {
        throw new AppError("conflict", `At most ${MAX_ACTIVE_DEVELOPER_TOKENS} active tokens; revoke one first.`);
      }
      const created = await insertDeveloperToken(tx, {
        id: newId("tok"),
        developerId,
        name: body.name,
        hash: hashToken(token),
        prefix: tokenDisplayPrefix(token, TOKEN_PREFIX.developer),
        scopes: body.scopes,
        expiresAt,
      });
      await writeDeveloperAudit(tx, request, {
        developerId,
        action: "developer_token.create",
        resourceType: "developer_token",
        resourceId: created.id,
        details: { scopes: created.scopes, expires_at: created.expires_at?.toISOString() ?? null },
      });
      return created;
    });
    return reply.code(201).send({ ...tokenToWire(row), token });
  });

  app.get("/v1/developer/tokens", withContract(listTokensRoute, tokensRead), async (request) => {
    const { developer_id } = listTokensRoute.query.parse(request.query);
    const developerId = actingDeveloperId(developerOf(request), developer_id, "developer_id", "optional");
    return { items: (await listDeveloperTokens(db, developerId)).map(tokenToWire) };
  });

  app.delete("/v1/developer/tokens/:id", withContract(revokeTokenRoute, tokensWrite), async (request) => {
    const { id } = revokeTokenRoute.params.parse(request.params);
    const row = await db.transaction(async (tx) => {
      const revoked = await revokeDeveloperToken(tx, tenantOf(developerOf(request)), id);
      if (!revoked) throw new AppError("not_found", "No active developer token with this id.");
      await writeDeveloperAudit(tx, request, {
        developerId: revoked.developer_id,
        action: "developer_token.revoke",
        resourceType: "developer_token",
        resourceId: id,
      });
      return revoked;
    });
    return tokenToWire(row);
  });
}
