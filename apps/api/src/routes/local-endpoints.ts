import { AppError } from "@modelfaucet/core";
import type { Database } from "@modelfaucet/db";
import {
  localEndpointBody,
  localEndpointListSchema,
  localEndpointSchema,
  MAX_LOCAL_ENDPOINTS,
} from "@modelfaucet/contract";
import { bearerToken, type RouteContract, withContract, type SessionAuthenticator } from "@modelfaucet/server-kit";
import { listLocalEndpoints, registerLocalEndpoint } from "@modelfaucet/store";
import type { FastifyInstance } from "fastify";

const registerEndpoint = {
  summary: "Register (or replace, by name) the metadata of one of the end user's local models",
  description: `At most ${MAX_LOCAL_ENDPOINTS} per user. The cloud never calls them; \`base_url\` must be http(s) without credentials, query or fragment.`,
  auth: "session",
  body: localEndpointBody,
  status: 201,
  response: localEndpointSchema,
} satisfies RouteContract;

const listEndpoints = {
  summary: "The end user's local endpoints, oldest first",
  auth: "session",
  response: localEndpointListSchema,
} satisfies RouteContract;

/**
 * The base_url as stored: an http(s) URL without credentials, query or
 * fragment — the places a token would hide — so storing and showing it can
 * never leak a secret. It is never dialled: no URL guard, no DNS.
 */
function storableBaseUrl(value: string | undefined): string | null {
  if (value === undefined) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AppError("invalid_request", "base_url: must be an http or https URL.");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new AppError("invalid_request", "base_url: must be an http or https URL.");
  }
  if (url.username !== "" || url.password !== "" || url.search !== "" || url.hash !== "") {
    throw new AppError("invalid_request", "base_url: must not contain credentials, a query or a fragment.");
  }
  return url.toString();
}

export interface LocalEndpointsOptions {
  db: Database;
  sessions: SessionAuthenticator;
}

/**
 * `POST|GET /v1/local/endpoints` (session): the metadata of an end user's
 * local models, so a `local`-first feature can tell the caller to use the
 * Local Bridge. The cloud never calls these endpoints. Registering an
 * existing name replaces that entry.
 */
export async function localEndpointsRoutes(app: FastifyInstance, { db, sessions }: LocalEndpointsOptions) {
  app.post("/v1/local/endpoints", withContract(registerEndpoint), async (request, reply) => {
    const session = await sessions.authenticate(bearerToken(request));
    const body = registerEndpoint.body.parse(request.body);
    const endpoint = await registerLocalEndpoint(db, {
      endUserId: session.endUserId,
      appId: session.appId,
      name: body.name,
      runtime: body.runtime,
      models: [...new Set(body.models)],
      baseUrl: storableBaseUrl(body.base_url),
    });
    return reply.code(201).send(endpoint);
  });

  app.get("/v1/local/endpoints", withContract(listEndpoints), async (request) => {
    const session = await sessions.authenticate(bearerToken(request));
    return { items: await listLocalEndpoints(db, session.endUserId) };
  });
}
