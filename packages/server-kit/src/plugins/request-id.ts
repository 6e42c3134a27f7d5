import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";

export const REQUEST_ID_HEADER = "x-request-id";

/**
 * Puts the request's id (chosen by `genReqId` in create-server.ts) on every
 * response. onRequest runs before body parsing and before the 404 handler, so
 * parse errors and unknown routes carry it too.
 */
export const requestIdPlugin = fp(
  async (app: FastifyInstance) => {
    app.addHook("onRequest", async (request, reply) => {
      reply.header(REQUEST_ID_HEADER, request.id);
    });
  },
  { name: "modelfaucet-request-id" },
);
