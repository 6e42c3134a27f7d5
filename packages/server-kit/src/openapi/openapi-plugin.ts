import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { z } from "zod";
import { openApiDocument, type DocumentInfo, type OpenApiDocument, type RegisteredRoute } from "./openapi-document.js";
import type { RouteContract } from "./route-contract.js";

export interface OpenApiRegistry {
  /** Every route registered after the plugin (HEAD twins and hidden routes aside), documented or not. */
  readonly routes: readonly RegisteredRoute[];
  /** The document, built once on first use (routes are fixed once the server is ready). */
  document(): OpenApiDocument;
}

declare module "fastify" {
  interface FastifyInstance {
    openapi: OpenApiRegistry;
  }
}

const openApiRoute: RouteContract = {
  summary: "This service's OpenAPI 3.1 document",
  description: "Generated from the schemas the routes validate requests with.",
  auth: "none",
  response: z.looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.looseObject({}) }),
};

/**
 * Collects every route as Fastify registers it (an `onRoute` hook, so it
 * must be registered before the routes) with its `config.contract`, and
 * serves `GET /openapi.json` built from them.
 */
export const openApiPlugin = fp<DocumentInfo>(
  async (app: FastifyInstance, info) => {
    const routes: RegisteredRoute[] = [];
    app.addHook("onRoute", (route) => {
      // Routes a plugin hides from documentation (CORS preflight), by the same flag @fastify/swagger reads.
      if ((route.schema as { hide?: boolean } | undefined)?.hide === true) return;
      for (const method of [route.method].flat()) {
        // Fastify answers HEAD for every GET route with the GET's handler: one operation documents both.
        if (method === "HEAD") continue;
        routes.push({ method, url: route.url, contract: route.config?.contract });
      }
    });
    let document: OpenApiDocument | undefined;
    app.decorate("openapi", {
      routes,
      document: () => (document ??= openApiDocument(info, routes)),
    });
    app.get("/openapi.json", { config: { contract: openApiRoute } }, async () => app.openapi.document());
  },
  { name: "modelfaucet-openapi" },
);
