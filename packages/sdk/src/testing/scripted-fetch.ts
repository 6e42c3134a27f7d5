import type { SessionGrant } from "../session/session-grant.js";

/** One request the scripted fetch saw. */
export interface SeenRequest {
  url: string;
  method: string;
  headers: Headers;
  body: unknown;
}

type Reply = (request: SeenRequest, signal: AbortSignal | undefined) => Response | Promise<Response>;

/**
 * A fetch that answers with `replies` in order (the last one repeats) and
 * records every request: the SDK's unit tests run without a server.
 */
export function scriptedFetch(...replies: Reply[]) {
  const seen: SeenRequest[] = [];
  const fetch: typeof globalThis.fetch = async (input, init = {}) => {
    init.signal?.throwIfAborted();
    const body = typeof init.body === "string" ? (JSON.parse(init.body) as unknown) : undefined;
    const request = { url: String(input), method: init.method ?? "GET", headers: new Headers(init.headers), body };
    seen.push(request);
    const reply = replies[Math.min(seen.length, replies.length) - 1]!;
    return reply(request, init.signal ?? undefined);
  };
  return { fetch, seen };
}

/** A JSON answer. */
export const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

/** An error envelope answer. */
export const envelope = (status: number, code: string, headers: Record<string, string> = {}) =>
  json(status, { error: { code, message: `${code} (test)`, request_id: "req_server" } }, headers);

/**
 * An SSE answer made of `frames` (each sent as written, e.g. `data: {...}\n\n`),
 * one per read; `stall` keeps the body open after them until the request is aborted.
 */
export function sse(frames: string[], { stall = false, signal }: { stall?: boolean; signal?: AbortSignal } = {}) {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const frame of frames) controller.enqueue(encoder.encode(frame));
      if (!stall) return controller.close();
      signal?.addEventListener("abort", () => controller.error(signal.reason), { once: true });
    },
  });
  return new Response(body, { status: 200, headers: { "content-type": "text/event-stream" } });
}

/** `data: <json>\n\n`. */
export const data = (value: unknown) => `data: ${typeof value === "string" ? value : JSON.stringify(value)}\n\n`;

/** A session that expires `lifetimeMs` from now. */
export const grant = (token: string, lifetimeMs = 3_600_000): SessionGrant => ({
  token,
  expiresAt: Date.now() + lifetimeMs,
  gatewayBaseUrl: "http://gateway.test/v1",
  availableModes: ["platform"],
  walletBalanceUsd: "1.00000000",
});
