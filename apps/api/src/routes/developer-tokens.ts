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
import type { Database } from "@modelfaucet/db";
import {
  actingDeveloperId,
  developerOf,
  tenantOf,
  type DeveloperAuthenticator,
  type RouteContract,
  withContract,
} from "@modelfaucet/server-kit";
import {
  createDeveloperToken,
  listDeveloperTokens,
  revokeDeveloperToken,
  type DeveloperTokenRecord,
} from "@modelfaucet/store";
import type { FastifyInstance } from "fastify";
import { developerActor } from "../developer-console/developer-actor.js";

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
const tokenToWire = (record: DeveloperTokenRecord): DeveloperToken => ({
  id: record.id,
  developer_id: record.developerId,
  name: record.name,
  prefix: record.prefix,
  scopes: record.scopes,
  created_at: record.createdAt.toISOString(),
  expires_at: record.expiresAt?.toISOString() ?? null,
  last_used_at: record.lastUsedAt?.toISOString() ?? null,
  revoked_at: record.revokedAt?.toISOString() ?? null,
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
    const { token, record } = await createDeveloperToken(
      db,
      { developerId, name: body.name, scopes: body.scopes, expiresAt: checkedExpiry(body.expires_at) },
      developerActor(request),
    );
    return reply.code(201).send({ ...tokenToWire(record), token });
  });

  app.get("/v1/developer/tokens", withContract(listTokensRoute, tokensRead), async (request) => {
    const { developer_id } = listTokensRoute.query.parse(request.query);
    const developerId = actingDeveloperId(developerOf(request), developer_id, "developer_id", "optional");
    return { items: (await listDeveloperTokens(db, developerId)).map(tokenToWire) };
  });

  app.delete("/v1/developer/tokens/:id", withContract(revokeTokenRoute, tokensWrite), async (request) => {
    const { id } = revokeTokenRoute.params.parse(request.params);
    return tokenToWire(await revokeDeveloperToken(db, tenantOf(developerOf(request)), id, developerActor(request)));
  });
}
