import type { IncomingMessage } from "node:http";

export interface DrainLimits {
  /** Most bytes read and thrown away. */
  maxBytes: number;
  /** Longest the drain may take. */
  maxMs: number;
}

/**
 * Reads and discards what is left of a request body, within `limits`, and
 * resolves once it has all arrived (true) or a limit was hit (false).
 *
 * Answering before a body has been read, then closing, makes the kernel reset
 * the connection: a client still sending (Node's fetch, the `openai` client,
 * anything that writes its whole request before reading) gets EPIPE or
 * ECONNRESET instead of the answer. Reading the rest first lets it finish
 * sending and read the error. A body far beyond the limits is not worth
 * reading: it is cut off as before.
 */
export function drainRequestBody(raw: IncomingMessage, limits: DrainLimits): Promise<boolean> {
  if (raw.complete) return Promise.resolve(true);
  if (raw.destroyed) return Promise.resolve(false);
  const declared = Number(raw.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limits.maxBytes) return Promise.resolve(false);

  return new Promise((resolve) => {
    let received = 0;
    const finish = (ended: boolean) => {
      clearTimeout(timer);
      raw.off("data", onData);
      raw.off("end", onEnd);
      raw.off("error", onFailure);
      raw.off("close", onFailure);
      resolve(ended);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limits.maxBytes) finish(false);
    };
    const onEnd = () => finish(true);
    const onFailure = () => finish(false);
    const timer = setTimeout(onFailure, limits.maxMs);
    raw.on("data", onData);
    raw.on("end", onEnd);
    raw.on("error", onFailure);
    raw.on("close", onFailure);
    raw.resume();
  });
}
