import type { ModelPrice } from "../catalog/model-price.js";
import { estimateMaxCharge } from "../rating/estimate-max-charge.js";
import { rateUsage } from "../rating/rate-usage.js";
import type { RatingPricing } from "../rating/rating-pricing.js";
import type { RouteMode } from "../rating/route-mode.js";
import { hasCapabilities, type ModelCapability } from "./model-capabilities.js";

/** A model the policy may pick: its catalog limits and price, and the route it would be served on first. */
export interface ModelOption {
  /** Catalog id; the last tie-break. */
  id: string;
  /** Units of 1e-8 USD per 1M tokens. */
  price: ModelPrice;
  /** Prompt plus output, tokens; > 0. */
  contextWindow: number;
  /** The model's own output limit, tokens; > 0. */
  maxOutputTokens: number;
  capabilities: readonly ModelCapability[];
  /** The route mode of the first route the request would try for this model (its hold is sized for it). */
  routeMode: RouteMode;
}

/** What one request needs of its model. */
export interface ModelRequirements {
  /** The prompt's token bound (boundPromptTokens); the same for every model. */
  promptTokens: number;
  /**
   * The input tokens that must fit the context window beside the output;
   * default `promptTokens`. Embeddings: the largest single input (each input
   * is embedded on its own), while all of them are billed.
   */
  windowTokens?: number | undefined;
  /** The request's `max_tokens`; undefined: each model's output limit under the feature. */
  requestedOutputTokens: number | undefined;
  /** The feature's `policy.max_output_tokens`. */
  featureMaxOutputTokens: number;
  capabilities: readonly ModelCapability[];
}

/** The result: one model, or the first requirement no model met (checked in this order). */
export type CheapestModelChoice<T extends ModelOption> =
  | {
      outcome: "chosen";
      option: T;
      /** The output limit the hold is sized for. */
      outputTokens: number;
      /** estimateMaxCharge of this request on `option.routeMode`: what is held, the most it can cost. */
      maxCharge: bigint;
      /** How many options fit the request (the chosen one included). */
      fitting: number;
    }
  | { outcome: "no_candidates" }
  /** No option has every needed capability; `unavailable`: those no option has at all (empty: none has them together). */
  | { outcome: "missing_capabilities"; needed: readonly ModelCapability[]; unavailable: ModelCapability[] }
  /** The request asks more output than any capable option allows. */
  | { outcome: "output_limit_exceeded"; largestOutputLimit: number }
  /** No capable option's window holds the prompt plus its output limit; `largestWindow` among them. */
  | { outcome: "context_window_exceeded"; largestWindow: number };

/** The most output tokens a request may ask of a model under the feature: the smaller of their two limits. */
export function modelOutputLimit(maxOutputTokens: number, featureMaxOutputTokens: number): number {
  return Math.min(maxOutputTokens, featureMaxOutputTokens);
}

interface Ranked<T> {
  option: T;
  outputTokens: number;
  maxCharge: bigint;
  cost: bigint;
}

/**
 * `model_policy: cheapest_sufficient`: of the options that fit the request —
 * every needed capability, the requested output within the model's limit,
 * prompt plus output within its context window — the one whose worst-case
 * charge for this request (estimateMaxCharge, the hold) is lowest. Ties, in
 * order: the lower worst-case upstream cost (on BYOK every model charges the
 * same flat fee, but the user's provider bills the tokens), `preferredId`
 * (the feature's default model: the developer's own pick wins a tie), then
 * the lower id. Pure and independent of the options' order.
 */
export function chooseCheapestModel<T extends ModelOption>(
  options: readonly T[],
  needs: ModelRequirements,
  pricing: RatingPricing,
  preferredId?: string,
): CheapestModelChoice<T> {
  if (options.length === 0) return { outcome: "no_candidates" };
  const capable = options.filter((option) => hasCapabilities(option.capabilities, needs.capabilities));
  if (capable.length === 0) {
    const unavailable = needs.capabilities.filter(
      (need) => !options.some((option) => option.capabilities.includes(need)),
    );
    return { outcome: "missing_capabilities", needed: needs.capabilities, unavailable };
  }
  const limitOf = (option: T) => modelOutputLimit(option.maxOutputTokens, needs.featureMaxOutputTokens);
  const asked = needs.requestedOutputTokens;
  const withOutput = asked === undefined ? capable : capable.filter((option) => asked <= limitOf(option));
  if (withOutput.length === 0) {
    return { outcome: "output_limit_exceeded", largestOutputLimit: Math.max(...capable.map(limitOf)) };
  }
  const windowTokens = needs.windowTokens ?? needs.promptTokens;
  const fitting = withOutput.filter((option) => windowTokens + (asked ?? limitOf(option)) <= option.contextWindow);
  if (fitting.length === 0) {
    return { outcome: "context_window_exceeded", largestWindow: Math.max(...withOutput.map((o) => o.contextWindow)) };
  }
  const ranked = fitting.map((option) => rank(option, asked ?? limitOf(option), needs.promptTokens, pricing));
  const best = ranked.reduce((a, b) => (isBetter(b, a, preferredId) ? b : a));
  return { outcome: "chosen", ...best, fitting: fitting.length };
}

function rank<T extends ModelOption>(option: T, outputTokens: number, promptTokens: number, pricing: RatingPricing) {
  const worstCase = { promptTokens, maxOutputTokens: outputTokens, price: option.price, pricing };
  const maxCharge = estimateMaxCharge({ ...worstCase, routeMode: option.routeMode });
  // The upstream cost of the same worst case, whoever pays it (platform rating's cost part).
  const usage = { inputTokens: promptTokens, cachedInputTokens: 0, outputTokens };
  const { cost } = rateUsage({ usage, price: option.price, pricing, routeMode: "platform" });
  return { option, outputTokens, maxCharge, cost } satisfies Ranked<T>;
}

function isBetter<T extends ModelOption>(a: Ranked<T>, b: Ranked<T>, preferredId: string | undefined): boolean {
  if (a.maxCharge !== b.maxCharge) return a.maxCharge < b.maxCharge;
  if (a.cost !== b.cost) return a.cost < b.cost;
  if (a.option.id === preferredId || b.option.id === preferredId) return a.option.id === preferredId;
  return a.option.id < b.option.id;
}
