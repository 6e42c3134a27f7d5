import { issueLocalTicket, type Billing, type LocalTicketSettings } from "@modelfaucet/billing";
import { localTicketBody, localTicketSchema, type LocalTicket } from "@modelfaucet/contract";
import { formatUsd } from "@modelfaucet/core";
import type { Database } from "@modelfaucet/db";
import { bearerToken, type RouteContract, type SessionAuthenticator, withContract } from "@modelfaucet/server-kit";
import type { FastifyInstance } from "fastify";

export interface LocalTicketsOptions {
  db: Database;
  sessions: SessionAuthenticator;
  /** Holds for localHoldTimeoutSeconds(settings): the worker, not the ledger's expiry, releases an unreported ticket. */
  billing: Billing;
  settings: LocalTicketSettings;
}

/** `POST /v1/local/tickets` (session): a ticket for one local call, its fee held on the wallet. */
export async function localTicketsRoutes(app: FastifyInstance, options: LocalTicketsOptions) {
  const { db, sessions, billing, settings } = options;
  const issueTicket = {
    summary: "A ticket for one call through the Local Bridge; the feature's local fee is held on the wallet",
    description:
      "The feature is `feature_key`, else the session's, else the app's only one; its route_preference must " +
      "include `local` (409 `no_available_route`). The fee is held like any route's cost (402 " +
      `\`insufficient_balance\`). The ticket is for a call made within ${settings.ttlSeconds} s; the bridge's ` +
      `report is accepted until ${settings.graceSeconds} s after \`expires_at\`, then the worker releases the fee.`,
    auth: "session",
    body: localTicketBody,
    status: 201,
    response: localTicketSchema,
  } satisfies RouteContract;

  app.post("/v1/local/tickets", withContract(issueTicket), async (request, reply) => {
    const session = await sessions.authenticate(bearerToken(request));
    const body = issueTicket.body.parse(request.body ?? {});
    const issued = await issueLocalTicket(db, billing, settings, {
      session,
      featureKey: body.feature_key,
      model: body.model,
      requestId: request.id,
    });
    const granted: LocalTicket = {
      ticket: issued.ticket,
      expires_at: issued.expiresAt.toISOString(),
      local_fee_usd: formatUsd(issued.feeUnits),
      feature_key: issued.featureKey,
      available_usd: formatUsd(issued.availableUnits),
    };
    return reply.code(201).send(granted);
  });
}
