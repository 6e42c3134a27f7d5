import { countTextTokens, encodeSseEvent, type ResponsesProvider } from "@modelfaucet/providers";
import { recordRequest } from "@modelfaucet/server-kit";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Billing } from "../billing/billing.js";
import { modelfaucetBlock } from "../chat/modelfaucet-block.js";
import { openEventStream } from "../chat/open-event-stream.js";
import { callUpstreamOrRelease, providerFailure } from "../chat/provider-failure.js";
import { upstreamSignal } from "../chat/upstream-signal.js";
import { buildUsageRecord, type BilledCall } from "../chat/usage-record.js";
import { ResponsesEventWriter } from "./responses-event-writer.js";
import type { ResponsesRequestBody } from "./responses-request.js";

/** One held Responses request passed through to an upstream that speaks the Responses API (OpenAI). */
export interface NativeCall extends BilledCall {
  body: ResponsesRequestBody;
  provider: ResponsesProvider;
  /** The prompt as counted for the hold; billed when upstream reports no usage. */
  promptTokens: number;
  billing: Billing;
  upstreamTimeoutMs: number;
}

const TERMINAL = new Set(["response.completed", "response.incomplete", "response.failed"]);

/** The body sent upstream: the client's, with the provider's model name, the held output limit, and our `metadata.feature_key` removed. */
function nativeBody(call: NativeCall) {
  const { metadata, ...rest } = call.body;
  const body: Record<string, unknown> = {
    ...rest,
    model: call.plan.model.upstreamModel,
    max_output_tokens: call.plan.maxOutputTokens,
  };
  if (metadata) {
    const { feature_key: _ours, ...kept } = metadata;
    if (Object.keys(kept).length > 0) body.metadata = kept;
  }
  return body as { model: string };
}

export async function completeNative(call: NativeCall, request: FastifyRequest, reply: FastifyReply) {
  const result = await callUpstreamOrRelease(
    () => call.billing.release(call.hold),
    () =>
      call.provider.create(nativeBody(call), {
        signal: upstreamSignal(reply, call.upstreamTimeoutMs),
        requestId: request.id,
      }),
  );
  const usage = result.usage ?? {
    inputTokens: call.promptTokens,
    cachedInputTokens: 0,
    outputTokens: countTextTokens(typeof result.body.output_text === "string" ? result.body.output_text : ""),
  };
  const record = buildUsageRecord(call, request.id, usage, result.usage ? "upstream" : "estimated", "completed");
  await call.billing.settle(call.hold, record);
  return {
    ...result.body,
    modelfaucet: modelfaucetBlock(request.id, call.featureKey, call.plan, record.charge.retail),
  };
}

/**
 * Streaming pass-through: upstream events are relayed as they come; the
 * terminal event's `response` gains the `modelfaucet` block. A failure
 * midway ends with an `error` event numbered after the last one relayed.
 */
export async function streamNative(call: NativeCall, request: FastifyRequest, reply: FastifyReply) {
  const stream = await callUpstreamOrRelease(
    () => call.billing.release(call.hold),
    () =>
      call.provider.stream(nativeBody(call), {
        signal: upstreamSignal(reply, call.upstreamTimeoutMs),
        requestId: request.id,
      }),
  );
  const client = openEventStream(request, reply, () => stream.cancel());
  const raw = client.raw;
  let lastSequence = -1;
  let terminal: { event: string | undefined; payload: Record<string, unknown> } | undefined;
  let failure: unknown;
  try {
    for await (const event of stream) {
      if (client.clientGone) break;
      const sequence = event.payload.sequence_number;
      if (typeof sequence === "number") lastSequence = sequence;
      const type = typeof event.payload.type === "string" ? event.payload.type : event.event;
      // The terminal event is held back until the charge is known.
      if (type !== undefined && TERMINAL.has(type))
        terminal = { event: event.event ?? type, payload: { ...event.payload } };
      else
        raw.write(
          encodeSseEvent(event.event === undefined ? { data: event.data } : { event: event.event, data: event.data }),
        );
    }
  } catch (error) {
    failure = error;
  }
  const usage = stream.usage ?? {
    inputTokens: call.promptTokens,
    cachedInputTokens: 0,
    outputTokens: countTextTokens(stream.deliveredText),
  };
  const outcome = client.clientGone ? "client_aborted" : failure ? "upstream_failed" : "completed";
  const record = buildUsageRecord(call, request.id, usage, stream.usage ? "upstream" : "estimated", outcome);
  try {
    await call.billing.settle(call.hold, record);
  } catch (error) {
    request.log.error({ err: error }, "settling a streamed response failed; its hold will expire");
  }
  if (!client.clientGone) {
    const modelfaucet = modelfaucetBlock(request.id, call.featureKey, call.plan, record.charge.retail);
    if (failure || !terminal) {
      const { code, message } = providerFailure(failure);
      new ResponsesEventWriter((text) => raw.write(text), lastSequence + 1).emit("error", {
        code,
        message,
        param: null,
      });
    } else {
      const response = terminal.payload.response;
      const payload = { ...terminal.payload, response: { ...(response as object), modelfaucet } };
      raw.write(encodeSseEvent({ event: terminal.event ?? "response.completed", data: JSON.stringify(payload) }));
    }
    raw.end();
  }
  recordRequest(request.server.metrics, request, 200, reply.elapsedTime);
}
