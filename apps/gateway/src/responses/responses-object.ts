import { randomBytes } from "node:crypto";
import type { UsageRecord } from "@modelfaucet/billing";
import type { TokenUsage } from "@modelfaucet/core";
import { withCost } from "../chat/usage-cost.js";

/** A fresh id with OpenAI's prefix convention (`resp_…`, `msg_…`). */
export function responsesId(prefix: "resp" | "msg"): string {
  return `${prefix}_${randomBytes(16).toString("hex")}`;
}

/** Normalized usage in the Responses API's shape. Reasoning tokens are not reported by chat upstreams: 0. */
export function responsesUsage(usage: TokenUsage) {
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: { cached_tokens: usage.cachedInputTokens },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
}

/** The one assistant message a translated response carries. */
export function messageItem(id: string, text: string, status: "in_progress" | "completed" | "incomplete") {
  return {
    id,
    type: "message",
    status,
    role: "assistant",
    content: status === "in_progress" ? [] : [outputTextPart(text)],
  };
}

export function outputTextPart(text: string) {
  return { type: "output_text", text, annotations: [] };
}

export type ResponseStatus = "in_progress" | "completed" | "incomplete" | "failed";

export interface ResponseFields {
  id: string;
  createdAt: number;
  /** The model name as the upstream reported it (else the catalog's upstream name). */
  model: string;
  status: ResponseStatus;
  output: unknown[];
  /** The settled usage event: its tokens, and its price as `usage.cost`. */
  usage?: Pick<UsageRecord, "usage" | "charge"> | undefined;
  instructions?: string | null | undefined;
  maxOutputTokens?: number | null | undefined;
  /** Set when status is `incomplete`: chat's `finish_reason: "length"` → `max_output_tokens`. */
  incompleteReason?: string | undefined;
  error?: { code: string; message: string } | undefined;
}

/** A Responses API `response` object built from a translated chat answer. */
export function responseObject(fields: ResponseFields) {
  const text = fields.output
    .flatMap((item) => ((item as { content?: Array<{ text?: string }> }).content ?? []).map((part) => part.text ?? ""))
    .join("");
  return {
    id: fields.id,
    object: "response",
    created_at: fields.createdAt,
    status: fields.status,
    error: fields.error ?? null,
    incomplete_details: fields.incompleteReason ? { reason: fields.incompleteReason } : null,
    instructions: fields.instructions ?? null,
    max_output_tokens: fields.maxOutputTokens ?? null,
    model: fields.model,
    output: fields.output,
    output_text: text,
    parallel_tool_calls: false,
    tool_choice: "none",
    tools: [],
    usage: fields.usage ? withCost(responsesUsage(fields.usage.usage), fields.usage.charge.retail) : null,
  };
}

/** The assistant text and finish reason of a chat completion body (first choice). */
export function chatAnswer(body: { choices: readonly unknown[] }): { text: string; finishReason: string | undefined } {
  const choice = body.choices[0] as { message?: { content?: unknown }; finish_reason?: unknown } | undefined;
  const content = choice?.message?.content;
  return {
    text: typeof content === "string" ? content : "",
    finishReason: typeof choice?.finish_reason === "string" ? choice.finish_reason : undefined,
  };
}
