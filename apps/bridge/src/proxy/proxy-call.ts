import type { IncomingMessage, ServerResponse } from "node:http";
import { LOCAL_TICKET_HEADER, LOCAL_TICKET_PATTERN } from "@modelfaucet/contract";
import { readBodyText, type UpstreamPools } from "@modelfaucet/providers";
import type { Dispatcher } from "undici";
import type { BridgeContext } from "../server/bridge-context.js";
import { BridgeError } from "../server/http-reply.js";
import { readRequestJson } from "../server/read-request-json.js";
import { describeFailure } from "../upstreams/get-json.js";
import { upstreamPath } from "../upstreams/upstream-kinds.js";
import { reportedUsage, type LocalEndpoint } from "./local-endpoints.js";
import { checkReportable, recordUsage, type MeteredCall } from "./record-usage.js";
import { relayStream } from "./relay-stream.js";
import { resolveModel, type ModelRoute } from "./resolve-model.js";
import { upstreamRefusal } from "./upstream-refusal.js";

/** Most time a local server may take to start answering, ms: it may load the model from disk first. */
export const UPSTREAM_HEADERS_TIMEOUT_MS = 10 * 60 * 1000;
/** Most silence between two pieces of an answer, ms. A live stream has no total limit. */
export const UPSTREAM_IDLE_TIMEOUT_MS = 5 * 60 * 1000;
/** Largest non-streamed answer read from a local server (embeddings of a large batch fit). */
const MAX_UPSTREAM_ANSWER_BYTES = 64 * 1024 * 1024;

/**
 * A metered local call: checks the ticket and the request, forwards it to
 * the local server of the model's kind, answers with what it answers
 * (streamed event by event), and queues the usage report before the
 * caller gets the last byte. A call the local server refuses or never
 * answers is not reported: its ticket may be used again.
 */
export async function proxyCall(
  ctx: BridgeContext,
  endpoint: LocalEndpoint,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
): Promise<void> {
  const ticket = ticketOf(req);
  const body = await readRequestJson(req);
  const route = resolveModel(ctx.config.upstreams, body.model);
  const call: MeteredCall = { ticket, requestId, model: body.model as string };
  checkReportable(call);
  if (ctx.callsInFlight.has(requestId) || ctx.queue.has(requestId)) {
    throw new BridgeError("conflict", "This x-request-id already names another local call; send a fresh one.");
  }
  ctx.callsInFlight.add(requestId);
  try {
    await forward(ctx, endpoint, route, body, call, res);
  } finally {
    ctx.callsInFlight.delete(requestId);
  }
}

function ticketOf(req: IncomingMessage): string {
  const ticket = req.headers[LOCAL_TICKET_HEADER];
  if (typeof ticket !== "string" || !LOCAL_TICKET_PATTERN.test(ticket)) {
    throw new BridgeError(
      "unauthorized",
      `Send the call's ticket (from POST /v1/local/tickets) in the ${LOCAL_TICKET_HEADER} header.`,
    );
  }
  return ticket;
}

async function forward(
  ctx: BridgeContext,
  endpoint: LocalEndpoint,
  route: ModelRoute,
  body: Record<string, unknown>,
  call: MeteredCall,
  res: ServerResponse,
): Promise<void> {
  const stream = endpoint.streams && body.stream === true;
  const streamOptions = isObject(body.stream_options) ? body.stream_options : {};
  const upstreamBody = {
    ...body,
    model: route.upstreamModel,
    // Asked for always, so usage is the server's own count where it can give one.
    ...(stream ? { stream_options: { ...streamOptions, include_usage: true } } : {}),
  };
  const callerLeft = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) callerLeft.abort();
  });
  const answer = await send(ctx.pools, route, endpoint, upstreamBody, callerLeft.signal);
  if (answer === undefined) return;
  if (answer.statusCode < 200 || answer.statusCode >= 300) {
    const text = await readBodyText(answer.body, { limitBytes: 64 * 1024, truncate: true }).catch(() => "");
    throw upstreamRefusal(route.target.kind, answer.statusCode, text);
  }
  const contentType = String(answer.headers["content-type"] ?? "");
  if (stream && contentType.includes("text/event-stream")) {
    const wantsUsage = streamOptions.include_usage === true;
    await relayStream(ctx, endpoint, call, body, answer.body, res, { wantsUsage, callerLeft: callerLeft.signal });
  } else {
    await relayAnswer(ctx, endpoint, call, body, answer, res);
  }
}

/** The local server's answer, or undefined when the caller left before it came. */
async function send(
  pools: UpstreamPools,
  route: ModelRoute,
  endpoint: LocalEndpoint,
  body: Record<string, unknown>,
  signal: AbortSignal,
): Promise<Dispatcher.ResponseData | undefined> {
  try {
    return await pools.get(route.target.url.origin).request({
      method: "POST",
      path: upstreamPath(route.target, endpoint.path),
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify(body),
      signal,
      headersTimeout: UPSTREAM_HEADERS_TIMEOUT_MS,
      bodyTimeout: UPSTREAM_IDLE_TIMEOUT_MS,
    });
  } catch (error) {
    if (signal.aborted) return undefined;
    throw new BridgeError(
      "provider_error",
      `The local ${route.target.kind} server at ${route.target.url.origin} did not answer (${describeFailure(error)}).`,
    );
  }
}

/** A whole answer: read, metered (the server's usage, else counted), queued, then sent as it came. */
async function relayAnswer(
  ctx: BridgeContext,
  endpoint: LocalEndpoint,
  call: MeteredCall,
  body: Record<string, unknown>,
  answer: Dispatcher.ResponseData,
  res: ServerResponse,
): Promise<void> {
  let text: string;
  let parsed: unknown;
  try {
    text = await readBodyText(answer.body, { limitBytes: MAX_UPSTREAM_ANSWER_BYTES, truncate: false });
    parsed = JSON.parse(text);
  } catch (error) {
    throw new BridgeError("provider_error", `The local server's answer could not be read (${describeFailure(error)}).`);
  }
  if (!isObject(parsed)) throw new BridgeError("provider_error", "The local server did not answer a JSON object.");
  const reported = reportedUsage(endpoint, parsed.usage);
  const counts = reported ?? {
    input_tokens: endpoint.estimateInput(body),
    output_tokens: endpoint.estimateOutput(parsed),
  };
  await recordUsage(ctx, call, counts, reported ? "upstream" : "estimated");
  res.writeHead(answer.statusCode, { "content-type": "application/json; charset=utf-8" });
  res.end(text);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
