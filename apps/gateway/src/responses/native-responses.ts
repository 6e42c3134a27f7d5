import type { ResponsesRequestBody } from "@modelfaucet/contract";
import {
  countTextTokens,
  encodeSseEvent,
  type ResponsesEvent,
  type ResponsesEventStream,
  type ResponsesProvider,
  type ResponsesResult,
} from "@modelfaucet/providers";
import type { FastifyReply } from "fastify";
import { modelfaucetBlock } from "../chat/modelfaucet-block.js";
import type { ModelPlan } from "../chat/plan-route.js";
import { providerFailure } from "../chat/provider-failure.js";
import { buildUsageRecord } from "../chat/usage-record.js";
import { upstreamUsageOr, withCost } from "../chat/usage-cost.js";
import { restoreResponseObject } from "../privacy/restore-answer.js";
import { restoreResponsesEvents } from "../privacy/restore-responses-events.js";
import { relayStream, type StreamWriter } from "../streaming/relay-stream.js";
import { ResponsesEventWriter } from "./responses-event-writer.js";
import { responsesUsage } from "./responses-object.js";
import type { ResponsesUpstream, ServedResponses } from "./responses-upstream.js";

const TERMINAL = new Set(["response.completed", "response.incomplete", "response.failed"]);

/** The body sent upstream: the client's, with the provider's model name, the held output limit, and our `metadata.feature_key` removed. */
function nativeBody(body: ResponsesRequestBody, plan: ModelPlan) {
  const { metadata, ...rest } = body;
  const upstream: Record<string, unknown> = {
    ...rest,
    model: plan.model.upstreamModel,
    max_output_tokens: plan.maxOutputTokens,
  };
  if (metadata) {
    const { feature_key: _ours, ...kept } = metadata;
    if (Object.keys(kept).length > 0) upstream.metadata = kept;
  }
  return upstream as { model: string };
}

/**
 * A route whose upstream speaks the Responses API (OpenAI): the request
 * passes through; `promptTokens` (as counted for the hold) is billed when
 * upstream reports no usage.
 */
export function nativeUpstream(
  provider: ResponsesProvider,
  body: ResponsesRequestBody,
  plan: ModelPlan,
  promptTokens: number,
): ResponsesUpstream {
  const upstream = nativeBody(body, plan);
  return {
    providerId: provider.id,
    promptTokens,
    async call(stream, context) {
      if (stream) {
        const events = await provider.stream(upstream, context);
        return (served, request, reply) =>
          relayStream({
            request,
            reply,
            upstream: restoreResponsesEvents(events, served.vault),
            call: served,
            billing: served.billing,
            writer: nativeStreamWriter(events, promptTokens),
          });
      }
      const result = await provider.create(upstream, context);
      return (served, _request, reply) => answerNative(served, promptTokens, result, reply);
    },
  };
}

async function answerNative(call: ServedResponses, promptTokens: number, result: ResponsesResult, reply: FastifyReply) {
  const { request } = reply;
  const usage = result.usage ?? {
    inputTokens: promptTokens,
    cachedInputTokens: 0,
    outputTokens: countTextTokens(typeof result.body.output_text === "string" ? result.body.output_text : ""),
  };
  const record = buildUsageRecord(call, reply, usage, result.usage ? "upstream" : "estimated", "completed");
  const settled = await call.billing.settle(call.hold, record);
  return {
    ...restoreResponseObject(result.body, call.vault),
    usage: withCost(upstreamUsageOr(result.body.usage, responsesUsage(usage)), record.charge.retail),
    modelfaucet: modelfaucetBlock(request.id, call.featureKey, call.plan, record.charge.retail, settled),
  };
}

/**
 * Streaming pass-through: upstream events are relayed as they come; the
 * terminal event is held back until the request is settled and its
 * `response` gains the `modelfaucet` block (price and wallet after it). A
 * failure midway (or a stream without a terminal event) ends with an `error`
 * event numbered after the last one relayed, carrying the block. Billed at
 * upstream's usage, else `promptTokens` and the text delivered.
 */
function nativeStreamWriter(stream: ResponsesEventStream, promptTokens: number) {
  return (write: (text: string) => void): StreamWriter<ResponsesEvent> => {
    let lastSequence = -1;
    let terminal: { event: string | undefined; payload: Record<string, unknown> } | undefined;
    return {
      write(event) {
        const sequence = event.payload.sequence_number;
        if (typeof sequence === "number") lastSequence = sequence;
        const type = typeof event.payload.type === "string" ? event.payload.type : event.event;
        // The terminal event is held back until the charge is known.
        if (type !== undefined && TERMINAL.has(type))
          terminal = { event: event.event ?? type, payload: { ...event.payload } };
        else
          write(
            encodeSseEvent(event.event === undefined ? { data: event.data } : { event: event.event, data: event.data }),
          );
      },
      billedUsage: () => ({
        usage: stream.usage ?? {
          inputTokens: promptTokens,
          cachedInputTokens: 0,
          outputTokens: countTextTokens(stream.deliveredText),
        },
        usageSource: stream.usage ? "upstream" : "estimated",
      }),
      end({ modelfaucet, record, failure }) {
        if (failure || !terminal) {
          // No terminal event to carry the block: the error event, the stream's last, carries it.
          const { code, message } = failure ?? providerFailure(undefined);
          new ResponsesEventWriter(write, lastSequence + 1).emit("error", { code, message, param: null, modelfaucet });
          return;
        }
        const response = (terminal.payload.response ?? {}) as { usage?: unknown };
        const usage = withCost(upstreamUsageOr(response.usage, responsesUsage(record.usage)), record.charge.retail);
        const payload = { ...terminal.payload, response: { ...response, usage, modelfaucet } };
        write(encodeSseEvent({ event: terminal.event ?? "response.completed", data: JSON.stringify(payload) }));
      },
    };
  };
}
