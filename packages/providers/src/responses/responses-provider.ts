/**
 * The native Responses API part of the provider spec: types only. Used for
 * upstreams that speak `POST /v1/responses` themselves (OpenAI); others are
 * reached by translating over chat completions in the gateway.
 * https://platform.openai.com/docs/api-reference/responses
 */
import type { ChatContext } from "../spec/chat-provider.js";
import type { NormalizedUsage } from "../spec/normalized-usage.js";

/** A Responses request body as the gateway forwards it (model already mapped). */
export interface ResponsesRequest {
  readonly model: string;
  readonly [field: string]: unknown;
}

export interface ResponsesResult {
  /** The upstream `response` object, unchanged. */
  readonly body: Readonly<Record<string, unknown>>;
  /** The upstream's usage, when it sent a well-formed one. */
  readonly usage: NormalizedUsage | undefined;
  readonly upstreamRequestId: string | undefined;
}

/** One upstream stream event: its `event:` name, raw data and parsed object (which carries `type`). */
export interface ResponsesEvent {
  readonly event: string | undefined;
  readonly data: string;
  readonly payload: Readonly<Record<string, unknown>>;
}

/**
 * A native Responses stream whose upstream answered 2xx. Yields every event
 * except `error`: an upstream error event, or the stream ending before a
 * terminal event (`response.completed`, `.incomplete`, `.failed`), makes the
 * iterator throw a ProviderError after yielding everything before it.
 */
export interface ResponsesEventStream extends AsyncIterable<ResponsesEvent> {
  /** Usage from the terminal event's `response.usage`, once seen. */
  readonly usage: NormalizedUsage | undefined;
  /** `response.output_text.delta` text yielded so far, to estimate usage when none came. */
  readonly deliveredText: string;
  readonly upstreamRequestId: string | undefined;
  /** Stops reading and closes the upstream request. Idempotent. */
  cancel(): void;
}

export interface ResponsesProvider {
  readonly specificationVersion: "v1";
  readonly id: string;
  create(request: ResponsesRequest, ctx: ChatContext): Promise<ResponsesResult>;
  /** Resolves once the upstream answered 2xx; a refusal rejects before any byte reached the client. */
  stream(request: ResponsesRequest, ctx: ChatContext): Promise<ResponsesEventStream>;
}
