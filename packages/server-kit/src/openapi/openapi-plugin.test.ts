import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { openApiPlugin } from "./openapi-plugin.js";
import type { RouteContract } from "./route-contract.js";

const item: RouteContract = {
  summary: "Change an item",
  auth: "developer",
  params: z.object({ appId: z.string(), itemId: z.string().regex(/^it_/) }),
  query: z.object({ limit: z.coerce.number().int().max(5).default(2), at: z.iso.datetime().optional() }),
  body: z.object({ name: z.string().meta({ description: "Shown to users." }), tags: z.array(z.string()).optional() }),
  response: z.object({ id: z.string() }),
};

async function appWith(register: (app: ReturnType<typeof Fastify>) => void) {
  const app = Fastify();
  await app.register(openApiPlugin, { title: "Test service" });
  register(app);
  await app.ready();
  return app;
}

describe("openApiPlugin", () => {
  it("documents each route from its contract: path, query, body, security, the error envelope", async () => {
    const app = await appWith((app) => {
      app.patch("/v1/apps/:appId/items/:itemId", { config: { contract: item } }, async () => ({ id: "x" }));
    });
    const document = (await app.inject({ method: "GET", url: "/openapi.json" })).json();
    expect(document).toMatchObject({ openapi: "3.1.0", info: { title: "Test service" } });
    const operation = document.paths["/v1/apps/{appId}/items/{itemId}"].patch;
    expect(operation.security).toEqual([{ developerToken: [] }]);
    expect(operation.parameters).toEqual([
      { name: "appId", in: "path", required: true, schema: { type: "string" } },
      { name: "itemId", in: "path", required: true, schema: { type: "string", pattern: "^it_" } },
      { name: "limit", in: "query", required: false, schema: expect.objectContaining({ default: 2, maximum: 5 }) },
      { name: "at", in: "query", required: false, schema: { type: "string", format: "date-time" } },
    ]);
    expect(operation.requestBody.required).toBe(true);
    expect(operation.requestBody.content["application/json"].schema).toMatchObject({
      properties: { name: { type: "string", description: "Shown to users." } },
      required: ["name"],
    });
    expect(operation.responses["200"].content["application/json"].schema.required).toEqual(["id"]);
    expect(operation.responses["4XX"]).toEqual({ $ref: "#/components/responses/Error" });
    expect(document.components.schemas.ErrorEnvelope.properties.error.required).toEqual(
      expect.arrayContaining(["code", "message", "request_id", "type", "param"]),
    );
    expect(Object.keys(document.components.securitySchemes)).toEqual(["developerToken"]);
  });

  it("lists a route without a contract among the routes, and leaves it out of the document", async () => {
    const app = await appWith((app) => {
      app.get("/v1/undocumented", async () => ({}));
    });
    const undocumented = app.openapi.routes.filter((route) => route.contract === undefined);
    expect(undocumented).toEqual([{ method: "GET", url: "/v1/undocumented", contract: undefined }]);
    expect(app.openapi.document().paths["/v1/undocumented"]).toBeUndefined();
    // HEAD twins of GET routes are not routes of their own here.
    expect(app.openapi.routes.map((route) => route.method)).not.toContain("HEAD");
  });

  it("names a wildcard by its params and makes a body with a default optional", async () => {
    const retire: RouteContract = {
      summary: "Retire a model",
      auth: "admin",
      params: z.object({ id: z.string() }),
      body: z.object({ note: z.string().optional() }).default({}),
    };
    const app = await appWith((app) => {
      app.delete("/v1/models/*", { config: { contract: retire } }, async () => ({}));
    });
    const operation = app.openapi.document().paths["/v1/models/{id}"]!.delete!;
    expect(operation.parameters).toEqual([{ name: "id", in: "path", required: true, schema: { type: "string" } }]);
    expect((operation.requestBody as { required: boolean }).required).toBe(false);
  });
});
