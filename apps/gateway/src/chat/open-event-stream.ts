import type { OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { FastifyReply, FastifyRequest } from "fastify";

/** An SSE body the route writes itself, and whether the client has gone away. */
export interface EventStream {
  raw: ServerResponse;
  readonly clientGone: boolean;
}

/**
 * Takes the response over from Fastify and starts an SSE body. From here the
 * route writes and ends `raw` itself; Fastify's hooks (metrics included) no
 * longer run, so the route records its metrics on its own. When the client
 * closes the connection before the body is finished, `onClientGone` runs once
 * (stop reading upstream) and `clientGone` turns true.
 */
export function openEventStream(request: FastifyRequest, reply: FastifyReply, onClientGone: () => void): EventStream {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    // Headers the hooks already set on the reply (CORS, above all: without them a browser cannot read the stream).
    ...(reply.getHeaders() as OutgoingHttpHeaders),
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    connection: "keep-alive",
    "x-request-id": request.id,
  });
  let clientGone = false;
  raw.once("close", () => {
    if (raw.writableFinished) return;
    clientGone = true;
    onClientGone();
  });
  return {
    raw,
    get clientGone() {
      return clientGone;
    },
  };
}
