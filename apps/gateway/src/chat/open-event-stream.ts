import type { FastifyReply, FastifyRequest } from "fastify";

/**
 * Takes the response over from Fastify and starts an SSE body. From here the
 * route writes and ends `reply.raw` itself; Fastify's hooks (metrics
 * included) no longer run, so the route records its metrics on its own.
 */
export function openEventStream(request: FastifyRequest, reply: FastifyReply) {
  reply.hijack();
  reply.raw.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    connection: "keep-alive",
    "x-request-id": request.id,
  });
  return reply.raw;
}
