import { catalogModelListSchema } from "@modelfaucet/contract";
import type { Database } from "@modelfaucet/db";
import { type DeveloperAuthenticator, type RouteContract, withContract } from "@modelfaucet/server-kit";
import { listCatalogRows } from "@modelfaucet/store";
import type { FastifyInstance } from "fastify";

const listRoute = {
  summary: "The model catalog at the prices in effect now (scope developer:features:read)",
  description: "What a feature's default model may be, and what its price preview is rated with.",
  auth: "developer",
  response: catalogModelListSchema,
} satisfies RouteContract;

export interface DeveloperCatalogOptions {
  db: Database;
  auth: DeveloperAuthenticator;
}

/** `GET /v1/developer/models`: the operator's catalog rows in effect now, read-only. */
export async function developerCatalogRoutes(app: FastifyInstance, { db, auth }: DeveloperCatalogOptions) {
  const featuresRead = { onRequest: auth.requireDeveloper("developer:features:read") };
  app.get("/v1/developer/models", withContract(listRoute, featuresRead), async () => ({
    items: await listCatalogRows(db, "current"),
  }));
}
