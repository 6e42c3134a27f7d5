import { generationParams, generationSchema } from "@modelfaucet/contract";
import { AppError } from "@modelfaucet/core";
import type { Database } from "@modelfaucet/db";
import { TOKEN_PREFIX } from "@modelfaucet/crypto";
import {
  bearerToken,
  developerOf,
  tenantOf,
  type DeveloperAuthenticator,
  type RouteContract,
  type SessionAuthenticator,
  withContract,
} from "@modelfaucet/server-kit";
import { findGeneration, type GenerationViewer } from "@modelfaucet/store";
import type { FastifyInstance, FastifyRequest } from "fastify";

const generationContract = {
  summary: "One answered request by its request_id: tokens, price (and split), route, model, attempts, latency",
  description:
    "OpenRouter's generation lookup. An end user's session (`mf_sess_…`) sees that user's own requests in its " +
    "app, without the price split; the app's developer (`mf_dev_…` with developer:operations:read, or " +
    "DEVELOPER_ADMIN_TOKEN) sees their apps' requests with it. Any other request is 404 `not_found`, as an " +
    "unknown one.",
  auth: "session_or_developer",
  params: generationParams,
  response: generationSchema,
} satisfies RouteContract;

export interface GenerationRouteOptions {
  db: Database;
  sessions: SessionAuthenticator;
  developers: DeveloperAuthenticator;
}

/** `GET /v1/generation/{request_id}`: the settled usage event of one request, as its viewer may see it. */
export async function generationRoute(app: FastifyInstance, options: GenerationRouteOptions) {
  const { db, sessions } = options;
  const operationsRead = options.developers.requireDeveloper("developer:operations:read");

  /** A session token (or none: the Gateway's callers are sessions first) is a session; anything else a developer's. */
  async function viewerOf(request: FastifyRequest): Promise<GenerationViewer> {
    const token = bearerToken(request);
    if (token === undefined || token.startsWith(TOKEN_PREFIX.session)) {
      const session = await sessions.authenticate(token);
      return { kind: "end_user", appId: session.appId, endUserId: session.endUserId };
    }
    await operationsRead(request);
    return { kind: "developer", tenant: tenantOf(developerOf(request)) };
  }

  // A wildcard, not `:request_id`: a request id may be 128 printable characters (a `/` included), past the
  // router's limit on a parameter's length.
  app.get("/v1/generation/*", withContract(generationContract), async (request) => {
    const viewer = await viewerOf(request);
    const params = { request_id: (request.params as { "*": string })["*"] };
    const { request_id: requestId } = generationContract.params.parse(params);
    const generation = await findGeneration(db, viewer, requestId);
    // The id is not echoed: it is whatever the caller put in the path.
    if (!generation) throw new AppError("not_found", "No request with this id among yours.");
    return generation;
  });
}
