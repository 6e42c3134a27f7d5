import { adminDevelopersQuery, createDeveloperBody, developerListSchema, developerSchema } from "@modelfaucet/contract";
import type { Database } from "@modelfaucet/db";
import { requireStaticToken, type RouteContract, withContract } from "@modelfaucet/server-kit";
import { createDeveloper, listDevelopers, operatorActor } from "@modelfaucet/store";
import type { FastifyInstance } from "fastify";

const createRoute = {
  summary: "Register a developer (one per email)",
  auth: "admin",
  body: createDeveloperBody,
  status: 201,
  response: developerSchema,
} satisfies RouteContract;

const listRoute = {
  summary: "Developers, oldest first",
  auth: "admin",
  query: adminDevelopersQuery,
  response: developerListSchema,
} satisfies RouteContract;

export interface AdminDevelopersOptions {
  db: Database;
  adminToken: string | undefined;
}

/** `POST|GET /v1/admin/developers` (ADMIN_TOKEN): the operator registers developers. */
export async function adminDevelopersRoutes(app: FastifyInstance, { db, adminToken }: AdminDevelopersOptions) {
  app.addHook("onRequest", requireStaticToken(adminToken, "ADMIN_TOKEN"));

  app.post("/v1/admin/developers", withContract(createRoute), async (request, reply) => {
    const body = createRoute.body.parse(request.body);
    return reply.code(201).send(await createDeveloper(db, body, operatorActor(request.id)));
  });

  app.get("/v1/admin/developers", withContract(listRoute), async (request) => {
    const { limit } = listRoute.query.parse(request.query);
    return { items: await listDevelopers(db, limit) };
  });
}
