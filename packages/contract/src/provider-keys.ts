import { z } from "zod";
import { DEVELOPER_ID, prefixedId } from "./ids.js";
import { usdAmount, usdUnitsField } from "./money.js";
import { listOf, timestamp } from "./wire.js";

/** Upstreams a stored provider key may be for. `openai_compatible` needs a base_url. */
export const PROVIDER_KEY_PROVIDERS = [
  "openai",
  "anthropic",
  "google",
  "openrouter",
  "groq",
  "together",
  "mistral",
  "openai_compatible",
] as const;

export type ProviderKeyProvider = (typeof PROVIDER_KEY_PROVIDERS)[number];

/** Longest accepted api_key: real provider keys are well under 300 characters. */
export const MAX_API_KEY_LENGTH = 1024;
/** Most entries in models_allowed. */
export const MAX_MODELS_ALLOWED = 100;

// The catalog's model id pattern (packages/db/migrations/0004_catalog_usage.sql).
const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;

/**
 * The fields of `POST /v1/{user,developer}/provider-keys`. Every message is
 * fixed text: none echoes a value, so the key never comes back in an error.
 */
const providerKeyFields = z.strictObject({
  provider: z.enum(PROVIDER_KEY_PROVIDERS, {
    error: `must be one of ${PROVIDER_KEY_PROVIDERS.join(", ")}`,
  }),
  // Sent as an HTTP header value upstream: printable ASCII, no spaces.
  api_key: z
    .string({ error: "is required and must be a string" })
    .min(8, { error: "is too short to be a provider key" })
    .max(MAX_API_KEY_LENGTH, { error: `must be at most ${MAX_API_KEY_LENGTH} characters` })
    .regex(/^[\x21-\x7e]+$/, { error: "must be printable ASCII without spaces" }),
  base_url: z.string({ error: "must be a URL string" }).min(1).max(2048).optional(),
  models_allowed: z
    .array(z.string().regex(MODEL_ID, { error: "each entry must be a model id" }), {
      error: "must be an array of model ids",
    })
    .min(1, { error: "must not be empty; omit it to allow every model" })
    .max(MAX_MODELS_ALLOWED, { error: `may list at most ${MAX_MODELS_ALLOWED} models` })
    .optional(),
  budget_limit_usd: usdUnitsField("budget_limit_usd").optional(),
  priority: z
    .number({ error: "must be an integer between 0 and 1000" })
    .int({ error: "must be an integer between 0 and 1000" })
    .min(0, { error: "must be an integer between 0 and 1000" })
    .max(1000, { error: "must be an integer between 0 and 1000" })
    .default(0),
  fallback_to_platform: z.boolean({ error: "must be a boolean" }).default(false),
  /** Try the key against the provider before storing it (400 secret_validation_failed). */
  validate: z.boolean({ error: "must be a boolean" }).default(false),
});

const baseUrlRule = {
  check: (body: { provider: string; base_url?: string | undefined }) =>
    body.provider !== "openai_compatible" || body.base_url !== undefined,
  params: { error: "is required for provider openai_compatible", path: ["base_url"] },
};

/** A developer the bootstrap token acts for (required with it; a developer token may omit it). */
const actingDeveloper = z
  .string({ error: "must be a developer id (dev_…)" })
  .regex(DEVELOPER_ID, { error: "must be a developer id (dev_…)" })
  .optional();

/** The body of `POST /v1/user/provider-keys` (BYOK). */
export const providerKeyBody = providerKeyFields.refine(baseUrlRule.check, baseUrlRule.params);

/** The body of `POST /v1/developer/provider-keys`: the same, plus the developer acted for. */
export const developerProviderKeyBody = providerKeyFields
  .extend({ developer_id: actingDeveloper })
  .refine(baseUrlRule.check, baseUrlRule.params);

export type ProviderKeyRequest = z.input<typeof providerKeyBody>;
/** A provider key body as parsed: defaults filled in, `budget_limit_usd` in units of 1e-8 USD. */
export type ProviderKeyBody = z.output<typeof providerKeyBody>;
export type DeveloperProviderKeyRequest = z.input<typeof developerProviderKeyBody>;

/**
 * The body of `PATCH /v1/developer/provider-keys/:id`: the budget only (the
 * other fields are part of what was validated and encrypted: store a new key
 * to change them). null removes the limit.
 */
export const developerKeyBudgetBody = z.strictObject({
  budget_limit_usd: usdUnitsField("budget_limit_usd").nullable(),
});

export type DeveloperKeyBudgetRequest = z.input<typeof developerKeyBudgetBody>;

/** `:id` of a provider key of either kind (BYOK `upk_`, developer `dpk_`). */
export const providerKeyParams = z.object({
  id: z.string().regex(prefixedId("(?:upk|dpk)"), { error: "must be a provider key id" }),
});

/** `?developer_id=` of the developer provider-key routes (the bootstrap token names the developer here). */
export const developerProviderKeyQuery = z.object({ developer_id: actingDeveloper });

/** A stored provider key as listed: `masked` (`sk-...abcd`), never the key. */
export const providerKeySchema = z.object({
  id: z.string(),
  /** Developer keys only. */
  developer_id: z.string().optional(),
  provider: z.enum(PROVIDER_KEY_PROVIDERS),
  base_url: z.string().nullable(),
  models_allowed: z.array(z.string()).nullable(),
  budget_limit_usd: usdAmount.nullable(),
  priority: z.number().int(),
  fallback_to_platform: z.boolean(),
  masked: z.string(),
  created_at: timestamp,
  revoked_at: timestamp.nullable(),
});

export type ProviderKey = z.output<typeof providerKeySchema>;

export const providerKeyListSchema = listOf(providerKeySchema);
