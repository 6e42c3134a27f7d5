import type { UsageRecord } from "@modelfaucet/billing";
import { formatUsd } from "@modelfaucet/core";
import type { Attributes } from "@opentelemetry/api";

// The GenAI semantic conventions are still "development" in
// @opentelemetry/semantic-conventions (exported only from its `incubating`
// entry, which may rename them in any minor release): the names are kept here.
export const GEN_AI_OPERATION_NAME = "gen_ai.operation.name";
export const GEN_AI_PROVIDER_NAME = "gen_ai.provider.name";
/** The name before gen_ai.provider.name (semantic conventions < 1.37), still what many backends read. */
export const GEN_AI_SYSTEM = "gen_ai.system";
export const GEN_AI_REQUEST_MODEL = "gen_ai.request.model";
export const GEN_AI_RESPONSE_MODEL = "gen_ai.response.model";
export const GEN_AI_USAGE_INPUT_TOKENS = "gen_ai.usage.input_tokens";
export const GEN_AI_USAGE_OUTPUT_TOKENS = "gen_ai.usage.output_tokens";

/** The convention's operation of each billed Gateway route; Responses is a chat, as OpenAI's own instrumentation has it. */
const ROUTE_OPERATIONS: ReadonlyMap<string, string> = new Map([
  ["/v1/chat/completions", "chat"],
  ["/v1/responses", "chat"],
  ["/v1/embeddings", "embeddings"],
]);

/** The operation of a run's endpoint (RouteRunInput.endpoint: "chat completions", "embeddings", "responses"). */
export function endpointOperation(endpoint: string): string {
  return endpoint === "embeddings" ? "embeddings" : "chat";
}

/** The attributes a route's request span starts with: its GenAI operation, for the billed routes. */
export function routeOperationAttributes(routeUrl: string): Attributes {
  const operation = ROUTE_OPERATIONS.get(routeUrl);
  return operation === undefined ? {} : { [GEN_AI_OPERATION_NAME]: operation };
}

// The convention's well-known names where ours differ; the others (openai, anthropic, mock, stored-key kinds) pass as they are.
const PROVIDER_NAMES: ReadonlyMap<string, string> = new Map([["gemini", "gcp.gemini"]]);

/** gen_ai.provider.name and gen_ai.system for one of our provider names. */
export function providerAttributes(provider: string): Attributes {
  const name = PROVIDER_NAMES.get(provider) ?? provider;
  return { [GEN_AI_PROVIDER_NAME]: name, [GEN_AI_SYSTEM]: name };
}

/**
 * What a settled request tells its span: the model that answered (a catalog
 * id), the tokens and price billed, the route, the feature. Counts, names
 * and amounts only — the usage record holds no text.
 */
export function usageAttributes(record: UsageRecord): Attributes {
  return {
    ...providerAttributes(record.provider),
    [GEN_AI_REQUEST_MODEL]: record.model,
    [GEN_AI_RESPONSE_MODEL]: record.model,
    [GEN_AI_USAGE_INPUT_TOKENS]: record.usage.inputTokens,
    [GEN_AI_USAGE_OUTPUT_TOKENS]: record.usage.outputTokens,
    "modelfaucet.route_mode": record.routeMode,
    "modelfaucet.feature_key": record.featureKey,
    "modelfaucet.outcome": record.outcome,
    "modelfaucet.usage_source": record.usageSource,
    "modelfaucet.price_usd": formatUsd(record.charge.retail),
  };
}
