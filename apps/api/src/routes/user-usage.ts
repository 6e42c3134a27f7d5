import { MAX_USAGE_PAGE, userUsagePageSchema, userUsageQuery, type UserUsagePage } from "@modelfaucet/contract";
import type { Database } from "@modelfaucet/db";
import { bearerToken, type RouteContract, type SessionAuthenticator, withContract } from "@modelfaucet/server-kit";
import { userUsagePage } from "@modelfaucet/store";
import type { FastifyInstance } from "fastify";

const getUserUsage = {
  summary: "The end user's own requests, newest first",
  description:
    `Keyset-paginated on (created_at, id): \`limit\` ≤ ${MAX_USAGE_PAGE}, \`cursor\` the previous page's ` +
    "`next_cursor`; `request_id` (an x-request-id) narrows it to that request. `price_usd` is what it cost the user.",
  auth: "session",
  query: userUsageQuery,
  response: userUsagePageSchema,
} satisfies RouteContract;

export interface UserUsageOptions {
  db: Database;
  sessions: SessionAuthenticator;
}

/** `GET /v1/user/usage` (session): only the session's end user's rows, whatever the query says. */
export async function userUsageRoutes(app: FastifyInstance, { db, sessions }: UserUsageOptions) {
  app.get("/v1/user/usage", withContract(getUserUsage), async (request): Promise<UserUsagePage> => {
    const session = await sessions.authenticate(bearerToken(request));
    const query = getUserUsage.query.parse(request.query);
    return userUsagePage(db, {
      endUserId: session.endUserId,
      requestId: query.request_id,
      cursor: query.cursor,
      limit: query.limit,
    });
  });
}
