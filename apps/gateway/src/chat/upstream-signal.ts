import type { FastifyReply } from "fastify";

/** Aborts upstream when the client goes away or `timeoutMs` passes. */
export function upstreamSignal(reply: FastifyReply, timeoutMs: number): AbortSignal {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error("upstream deadline")), timeoutMs);
  timer.unref();
  reply.raw.once("close", () => {
    clearTimeout(timer);
    if (!reply.raw.writableFinished) controller.abort(new Error("client closed the connection"));
  });
  return controller.signal;
}
