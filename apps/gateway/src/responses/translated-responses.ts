import type { ChatRequest } from "@modelfaucet/contract";
import type { ChatCompletionChunk, ChatProvider, ChatResult, ChatStream } from "@modelfaucet/providers";
import type { FastifyReply } from "fastify";
import { logProviderWarnings } from "../chat/log-provider-warnings.js";
import { modelfaucetBlock } from "../chat/modelfaucet-block.js";
import type { ModelPlan } from "../chat/plan-route.js";
import { upstreamBody } from "../chat/upstream-body.js";
import { buildUsageRecord } from "../chat/usage-record.js";
import { restoreChatCompletion } from "../privacy/restore-answer.js";
import { restoreChatChunks } from "../privacy/restore-chat-chunks.js";
import { relayStream, type StreamWriter } from "../streaming/relay-stream.js";
import { ResponsesEventWriter } from "./responses-event-writer.js";
import {
  chatAnswer,
  messageItem,
  outputTextPart,
  responseObject,
  responsesId,
  type ResponseFields,
} from "./responses-object.js";
import type { ResponsesUpstream, ServedResponses } from "./responses-upstream.js";

/**
 * A route whose upstream speaks chat only: `chat` is the request translated
 * (convert-responses-to-chat.ts, `stream` included), answered as Responses;
 * `promptTokens` is the request's count, the hold's prompt.
 */
export function translatedUpstream(
  provider: ChatProvider,
  chat: ChatRequest,
  plan: ModelPlan,
  promptTokens: number,
): ResponsesUpstream {
  const upstream = upstreamBody(chat, plan);
  return {
    providerId: provider.id,
    promptTokens,
    async call(stream, context) {
      if (stream) {
        const chunks = await provider.chatStream(upstream, context);
        return (served, request, reply) => {
          logProviderWarnings(request.log, provider.id, chunks.warnings);
          return relayStream({
            request,
            reply,
            upstream: restoreChatChunks(chunks, served.vault),
            call: served,
            billing: served.billing,
            writer: translatedStreamWriter(served, chunks),
          });
        };
      }
      const result = await provider.chat(upstream, context);
      return (served, request, reply) => {
        logProviderWarnings(request.log, provider.id, result.warnings);
        return answerTranslated(served, result, reply);
      };
    },
  };
}

const incompleteReason = (finishReason: string | undefined) =>
  finishReason === "length" ? "max_output_tokens" : finishReason === "content_filter" ? "content_filter" : undefined;

/** Non-streaming: one chat completion, answered as a `response` object. */
async function answerTranslated(call: ServedResponses, result: ChatResult, reply: FastifyReply) {
  const { request } = reply;
  const record = buildUsageRecord(call, reply, result.usage, result.usageSource, "completed");
  const settled = await call.billing.settle(call.hold, record);
  const { text, finishReason } = chatAnswer(restoreChatCompletion(result.body, call.vault));
  const reason = incompleteReason(finishReason);
  const status = reason ? "incomplete" : "completed";
  return {
    ...responseObject({
      ...fieldsOf(call, result.body.model),
      status,
      output: [messageItem(responsesId("msg"), text, status)],
      usage: record,
      incompleteReason: reason,
    }),
    modelfaucet: modelfaucetBlock(request.id, call.featureKey, call.plan, record.charge.retail, settled),
  };
}

/**
 * Streaming: chat chunks as Responses events. Billing as chat: the hold is
 * settled with what the stream reports (upstream usage, else what was
 * delivered); a mid-stream failure ends with `error` and `response.failed`.
 */
function translatedStreamWriter(call: ServedResponses, stream: ChatStream) {
  return (write: (text: string) => void): StreamWriter<ChatCompletionChunk> => {
    const events = new ResponsesEventWriter(write);
    const base = fieldsOf(call, call.plan.model.upstreamModel);
    const itemId = responsesId("msg");
    const item = { output_index: 0, item_id: itemId };
    const part = { ...item, content_index: 0 };
    const inProgress = responseObject({ ...base, status: "in_progress", output: [] });
    events.emit("response.created", { response: inProgress });
    events.emit("response.in_progress", { response: inProgress });
    events.emit("response.output_item.added", { output_index: 0, item: messageItem(itemId, "", "in_progress") });
    events.emit("response.content_part.added", { ...part, part: outputTextPart("") });

    let text = "";
    let finishReason: string | undefined;
    return {
      write(chunk) {
        const choice = chunk.choices[0] as { delta?: { content?: unknown }; finish_reason?: unknown } | undefined;
        if (typeof choice?.finish_reason === "string") finishReason = choice.finish_reason;
        const delta = choice?.delta?.content;
        if (typeof delta !== "string" || delta.length === 0) return;
        text += delta;
        events.emit("response.output_text.delta", { ...part, delta, logprobs: [] });
      },
      billedUsage: () => ({ usage: stream.usage, usageSource: stream.usageSource }),
      end({ modelfaucet, record, failure }) {
        if (failure) {
          const { code, message } = failure;
          events.emit("error", { code, message, param: null });
          const error = { code, message };
          const output = text ? [messageItem(itemId, text, "incomplete")] : [];
          const failed = responseObject({ ...base, status: "failed", output, usage: record, error });
          events.emit("response.failed", { response: { ...failed, modelfaucet } });
          return;
        }
        const reason = incompleteReason(finishReason);
        const status = reason ? "incomplete" : "completed";
        const done = messageItem(itemId, text, status);
        events.emit("response.output_text.done", { ...part, text, logprobs: [] });
        events.emit("response.content_part.done", { ...part, part: outputTextPart(text) });
        events.emit("response.output_item.done", { output_index: 0, item: done });
        const final = responseObject({
          ...base,
          status,
          output: [done],
          usage: record,
          incompleteReason: reason,
        });
        events.emit(reason ? "response.incomplete" : "response.completed", { response: { ...final, modelfaucet } });
      },
    };
  };
}

function fieldsOf(call: ServedResponses, upstreamModel: unknown): Omit<ResponseFields, "status" | "output"> {
  return {
    id: responsesId("resp"),
    createdAt: Math.floor(Date.now() / 1000),
    model: typeof upstreamModel === "string" ? upstreamModel : call.plan.model.upstreamModel,
    instructions: call.body.instructions,
    maxOutputTokens: call.plan.maxOutputTokens,
  };
}
