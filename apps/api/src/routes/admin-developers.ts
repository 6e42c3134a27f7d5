import { randomBytes } from "node:crypto";
import {
  adminDevelopersQuery,
  createDeveloperBody,
  developerListSchema,
  developerSchema,
  type Developer,
} from "@modelfaucet/contract";
import { AppError } from "@modelfaucet/core";
import type { Database } from "@modelfaucet/db";
import { requireStaticToken, type RouteContract, withContract } from "@modelfaucet/server-kit";
import type { FastifyInstance } from "fastify";
import { appendAuditEntry } from "../audit-log.js";

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

interface DeveloperRow {
  id: string;
  name: string;
  email: string;
  status: string;
  created_at: Date;
}

const toWire = (row: DeveloperRow): Developer => ({
  id: row.id,
  name: row.name,
  email: row.email,
  status: row.status,
  created_at: row.created_at.toISOString(),
});

const UNIQUE_VIOLATION = "23505";

export interface AdminDevelopersOptions {
  db: Database;
  adminToken: string | undefined;
}

/** `POST|GET /v1/admin/developers` (ADMIN_TOKEN): the operator registers developers. */
export async function adminDevelopersRoutes(app: FastifyInstance, { db, adminToken }: AdminDevelopersOptions) {
  app.addHook("onRequest", requireStaticToken(adminToken, "ADMIN_TOKEN"));

  app.post("/v1/admin/developers", withContract(createRoute), async (request, reply) => {
    const body = createRoute.body.parse(request.body);
    const id = `dev_${randomBytes(12).toString("hex")}`;
    try {
      const row = await db.transaction(async (tx) => {
        const { rows } = await tx.query<DeveloperRow>(
          `INSERT INTO developers (id, name, email) VALUES ($1, $2, $3)
           RETURNING id, name, email, status, created_at`,
          [id, body.name, body.email],
        );
        await appendAuditEntry(tx, {
          actorType: "admin",
          actorId: null,
          developerId: id,
          action: "developer.create",
          resourceType: "developer",
          resourceId: id,
          requestId: request.id,
        });
        return rows[0]!;
      });
      return reply.code(201).send(toWire(row));
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) {
        throw new AppError("conflict", "A developer with this email already exists.");
      }
      throw error;
    }
  });

  app.get("/v1/admin/developers", withContract(listRoute), async (request) => {
    const { limit } = listRoute.query.parse(request.query);
    const { rows } = await db.query<DeveloperRow>(
      "SELECT id, name, email, status, created_at FROM developers ORDER BY created_at, id LIMIT $1",
      [limit],
    );
    return { items: rows.map(toWire) };
  });
}
