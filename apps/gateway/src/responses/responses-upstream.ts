import type { Billing } from "@modelfaucet/billing";
import type { ResponsesRequestBody } from "@modelfaucet/contract";
import type { PiiVault } from "@modelfaucet/core";
import type { ChatContext } from "@modelfaucet/providers";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { BilledCall } from "../chat/usage-record.js";

/** A Responses request once one route answered 2xx: what settling and answering it needs. */
export interface ServedResponses extends BilledCall {
  /** The request as it left for upstream (redacted when the feature says so). */
  body: ResponsesRequestBody;
  /** The placeholders the request's personal items were replaced with, to restore in the answer. */
  vault: PiiVault | undefined;
  billing: Billing;
}

/**
 * Relays an upstream's 2xx answer to the client and settles the hold:
 * resolves to the JSON body, or to nothing once a stream has been written.
 */
export type ResponsesAnswer = (
  served: ServedResponses,
  request: FastifyRequest,
  reply: FastifyReply,
) => Promise<unknown>;

/**
 * How one route serves a Responses request: natively (an upstream that
 * speaks the Responses API) or translated over chat.
 */
export interface ResponsesUpstream {
  /** The adapter's id, for the usage event. */
  providerId: string;
  /** The prompt as counted for the request (responsesPromptTexts); the hold is sized for it. */
  promptTokens: number;
  /** Calls upstream; resolves once it answered 2xx (a stream: before any byte reached the client). */
  call(stream: boolean, context: ChatContext): Promise<ResponsesAnswer>;
}
