import {
  catalogListQuery,
  catalogModelBody,
  catalogModelListSchema,
  catalogModelParams,
  catalogModelSchema,
  retiredModelSchema,
} from "@modelfaucet/contract";
import { AppError } from "@modelfaucet/core";
import type { Database } from "@modelfaucet/db";
import { requireStaticToken, type RouteContract, withContract } from "@modelfaucet/server-kit";
import { listCatalogRows, operatorActor, retireModel, setModelPrice } from "@modelfaucet/store";
import type { FastifyInstance } from "fastify";

const listRoute = {
  summary: "Every catalog row with its state (current, scheduled, superseded)",
  auth: "admin",
  query: catalogListQuery,
  response: catalogModelListSchema,
} satisfies RouteContract;

const setRoute = {
  summary: "A new model, or a new price for a known one, effective now or later (never in the past)",
  description:
    "Prices are USD per 1M tokens as strings. Fields left out of a new price are copied from the row in effect " +
    "at that time. `capabilities` (tools, json_schema, vision; or embeddings alone) say which requests " +
    "`model_policy: cheapest_sufficient` may send the model; a new model without them takes plain text only. " +
    "Gateways see the change within 5 s.",
  auth: "admin",
  body: catalogModelBody,
  status: 201,
  response: catalogModelSchema,
} satisfies RouteContract;

const retireRoute = {
  summary: "Retire a model from now and drop its scheduled rows",
  auth: "admin",
  params: catalogModelParams,
  response: retiredModelSchema,
} satisfies RouteContract;

export interface AdminCatalogOptions {
  db: Database;
  adminToken: string | undefined;
}

/**
 * Model catalog CRUD (ADMIN_TOKEN) over the effective-dated `models` table.
 * Rows are never edited: a price change, a retirement or a comeback is a NEW
 * row with its own `effective_from`, so the price any past moment saw stays
 * readable, and usage already billed keeps its price anyway (usage_events
 * store the rated amounts).
 *
 * - `GET /v1/admin/models`: every row with its `state` (current, scheduled,
 *   superseded); `?state=current` narrows.
 * - `POST /v1/admin/models`: a new model, or a new price for a known one,
 *   effective now (default) or at a future `effective_from` — never in the
 *   past, which would misstate what earlier usage was rated at. Prices are
 *   USD per 1M tokens as strings. Fields left out of a new price are copied
 *   from the model's row in effect at that time — `capabilities` too (a
 *   new model without them: `[]`, plain text chat). The new row is `active`.
 * - `DELETE /v1/admin/models/:id`: retires the model from now (a `retired`
 *   row) and drops its scheduled rows, which never took effect.
 *
 * Gateways cache the catalog for 5 s (apps/gateway/src/catalog), so every
 * change reaches routing and `GET /v1/models` within 5 s of the answer.
 */
export async function adminCatalogRoutes(app: FastifyInstance, { db, adminToken }: AdminCatalogOptions) {
  app.addHook("onRequest", requireStaticToken(adminToken, "ADMIN_TOKEN"));

  app.get("/v1/admin/models", withContract(listRoute), async (request) => {
    const { state } = listRoute.query.parse(request.query);
    return { items: await listCatalogRows(db, state) };
  });

  app.post("/v1/admin/models", withContract(setRoute), async (request, reply) => {
    const body = setRoute.body.parse(request.body);
    return reply.code(201).send(await setModelPrice(db, body, operatorActor(request.id)));
  });

  // A catalog id may contain "/" (e.g. `meta/llama-3`), so the id is the rest of the path.
  app.delete("/v1/admin/models/*", withContract(retireRoute), async (request) => {
    const raw = (request.params as { "*": string })["*"];
    const { id } = retireRoute.params.parse({ id: raw.includes("%") ? safeDecode(raw) : raw });
    return retireModel(db, id, operatorActor(request.id));
  });
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new AppError("invalid_request", "id: not a catalog model id.", { param: "id" });
  }
}
