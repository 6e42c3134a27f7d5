import { developerBalance } from "@modelfaucet/billing";
import { OPERATIONS_LIST_LIMIT, operationsQuery, operationsSchema } from "@modelfaucet/contract";
import { AppError, formatUsd } from "@modelfaucet/core";
import type { Database } from "@modelfaucet/db";
import {
  actingDeveloperId,
  developerOf,
  type DeveloperAuthenticator,
  type RouteContract,
  withContract,
} from "@modelfaucet/server-kit";
import { developerExists, developerOperationLists } from "@modelfaucet/store";
import type { FastifyInstance } from "fastify";

const operationsRoute = {
  summary: "A developer's wallet, its users' top-ups, its payouts and audit log (scope developer:operations:read)",
  description: `The latest ${OPERATIONS_LIST_LIMIT} payouts and audit entries.`,
  auth: "developer",
  query: operationsQuery,
  response: operationsSchema,
} satisfies RouteContract;

export interface DeveloperOperationsOptions {
  db: Database;
  auth: DeveloperAuthenticator;
}

/**
 * `GET /v1/developer/operations` (`developer:operations:read`): one developer's
 * wallet (its ledger account), its users' top-ups, its payouts and its latest
 * audit entries. A token sees its own developer; the bootstrap token names one
 * with `?developer_id=`.
 */
export async function developerOperationsRoutes(app: FastifyInstance, { db, auth }: DeveloperOperationsOptions) {
  app.get(
    "/v1/developer/operations",
    withContract(operationsRoute, { onRequest: auth.requireDeveloper("developer:operations:read") }),
    async (request) => {
      const query = operationsRoute.query.parse(request.query);
      const developerId = actingDeveloperId(developerOf(request), query.developer_id, "developer_id");
      if (!(await developerExists(db, developerId))) throw new AppError("not_found", "Unknown developer_id.");
      const balance = await developerBalance(db, developerId);
      return {
        developer_id: developerId,
        wallet: {
          balance_usd: formatUsd(balance.balance),
          held_usd: formatUsd(balance.held),
          available_usd: formatUsd(balance.available),
        },
        ...(await developerOperationLists(db, developerId)),
      };
    },
  );
}
