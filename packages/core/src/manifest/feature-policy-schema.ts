import { z } from "zod";

import { featureLimitsSchema } from "../limits/limits-schema.js";
import { MODEL_POLICIES } from "../model-policy/model-policies.js";
import { CUSTOM_PATTERN_LIMITS } from "../privacy/custom-pattern.js";
import { compileRedactionPolicy } from "../privacy/redaction-policy.js";
import { featureCacheSchema } from "./feature-cache-schema.js";
import { fieldMessage, objectMessage } from "./field-message.js";
import { modelAllowListSchema } from "./model-allow-list-schema.js";

/** Where a feature may send a request, in the order the developer prefers them. */
export const ROUTE_PREFERENCES = ["local", "end_user_byok", "developer_key", "platform_pool"] as const;

export type RoutePreference = (typeof ROUTE_PREFERENCES)[number];

/** Longest `max_output_tokens` a feature may ask for; it also bounds the hold placed per request. */
export const MAX_FEATURE_OUTPUT_TOKENS = 1_000_000;

/** Default output budget when a manifest gives none (the contract's example). */
export const DEFAULT_MAX_OUTPUT_TOKENS = 1024;

/** Named policy strings: short snake_case words, interpreted by the router. */
const POLICY_WORD = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * `policy.privacy`: `redact_pii_before_cloud` (the default) replaces personal
 * data with placeholders before a request leaves for a cloud provider, and
 * restores them in the answer; `standard` sends prompts as written.
 */
export const PRIVACY_MODES = ["redact_pii_before_cloud", "standard"] as const;

const policyWord = (field: string) =>
  z
    .string({ error: fieldMessage(field, "a string") })
    .regex(POLICY_WORD, { error: `${field} must be a snake_case word of at most 64 characters` });

/**
 * How a feature routes requests. Defaults follow the contract's example:
 * every route in preference order, no silent fallback to the paid platform
 * pool, the cheapest sufficient model, PII redacted before it leaves for the
 * cloud, 1024 output tokens. `default_model` has no default: the gateway
 * must never pick a model the developer did not name or allow (under
 * cheapest_sufficient it chooses among `models`, or the catalog models the
 * feature's routes can serve, preferring `default_model` on a tie). Unknown
 * fields are refused so a misspelt setting is not silently ignored.
 */
export const featurePolicySchema = z.strictObject(
  {
    route_preference: z
      .array(
        z.enum(ROUTE_PREFERENCES, {
          error: `policy.route_preference entries must be one of ${ROUTE_PREFERENCES.join(", ")}`,
        }),
        { error: fieldMessage("policy.route_preference", "an array of routes") },
      )
      .min(1, { error: "policy.route_preference must name at least one route" })
      .refine((routes) => new Set(routes).size === routes.length, {
        error: "policy.route_preference must not repeat a route",
      })
      // A function, so each parse gets its own array rather than a shared mutable default.
      .default(() => [...ROUTE_PREFERENCES]),
    fallback_to_platform: z
      .boolean({ error: fieldMessage("policy.fallback_to_platform", "true or false") })
      .default(false),
    // What `auto:<feature>` means (model-policies.ts); `models` narrows what cheapest_sufficient may choose.
    model_policy: policyWord("policy.model_policy")
      .refine((policy) => (MODEL_POLICIES as readonly string[]).includes(policy), {
        error: `policy.model_policy must be one of ${MODEL_POLICIES.join(", ")}`,
      })
      .default("cheapest_sufficient"),
    models: modelAllowListSchema.optional(),
    privacy: policyWord("policy.privacy")
      .refine((mode) => (PRIVACY_MODES as readonly string[]).includes(mode), {
        error: `policy.privacy must be one of ${PRIVACY_MODES.join(", ")}`,
      })
      .default("redact_pii_before_cloud"),
    // The developer's own kinds of personal data, redacted with the built-in ones (custom-pattern.ts documents the
    // pattern subset); checked by compiling them, so a stored manifest's patterns always compile.
    pii_patterns: z
      .array(
        z.strictObject(
          {
            name: z.string({ error: fieldMessage("policy.pii_patterns[].name", "a string") }),
            pattern: z.string({ error: fieldMessage("policy.pii_patterns[].pattern", "a string") }),
          },
          { error: objectMessage("policy.pii_patterns[]") },
        ),
        { error: fieldMessage("policy.pii_patterns", "an array of {name, pattern}") },
      )
      .max(CUSTOM_PATTERN_LIMITS.maxPatterns, {
        error: `policy.pii_patterns may hold at most ${CUSTOM_PATTERN_LIMITS.maxPatterns} patterns`,
      })
      .superRefine((patterns, context) => {
        try {
          compileRedactionPolicy(patterns);
        } catch (error) {
          context.addIssue({ code: "custom", message: `policy.pii_patterns: ${(error as Error).message}` });
        }
      })
      .optional(),
    default_model: z
      .string({ error: fieldMessage("policy.default_model", "a model id") })
      .min(1, { error: "policy.default_model must not be empty" })
      .max(200, { error: "policy.default_model must be at most 200 characters" }),
    max_output_tokens: z
      .number({ error: fieldMessage("policy.max_output_tokens", "an integer") })
      .int({ error: "policy.max_output_tokens must be an integer" })
      .min(1, { error: `policy.max_output_tokens must be from 1 to ${MAX_FEATURE_OUTPUT_TOKENS}` })
      .max(MAX_FEATURE_OUTPUT_TOKENS, {
        error: `policy.max_output_tokens must be from 1 to ${MAX_FEATURE_OUTPUT_TOKENS}`,
      })
      .default(DEFAULT_MAX_OUTPUT_TOKENS),
    // Budgets and per-end-user rates (limits-schema.ts); absent means none.
    limits: featureLimitsSchema.optional(),
    // Opt-in response cache (feature-cache-schema.ts); absent: every request goes upstream.
    cache: featureCacheSchema.optional(),
  },
  { error: objectMessage("policy") },
);

export type FeaturePolicy = z.output<typeof featurePolicySchema>;
