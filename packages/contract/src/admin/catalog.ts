import { MODEL_CAPABILITIES, pricePerMillionToUnits } from "@modelfaucet/core";
import { z } from "zod";
import { usdAmount } from "../money.js";
import { listOf, timestamp } from "../wire.js";

/** A catalog model id; mirrors the CHECK on `models.id` (migration 0004). */
export const CATALOG_MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;

/** `current`: in effect now; `scheduled`: takes effect later; `superseded`: replaced by a later row. */
export const CATALOG_ROW_STATES = ["current", "scheduled", "superseded"] as const;

const price = (field: string) =>
  z
    .string({ error: `${field} must be a decimal string such as "2.50" (USD per 1M tokens)` })
    .transform((text) => pricePerMillionToUnits(text, field));

const tokens = z.number().int().min(1).max(100_000_000);

/**
 * What a model can do beyond plain chat (MODEL_CAPABILITIES): `tools`,
 * `json_schema`, `vision`, or `embeddings` for an embedding model — which is
 * never a chat model, so it stands alone. `[]`: a chat model taking plain
 * text only. Each at most once.
 */
const capabilities = z
  .array(z.enum(MODEL_CAPABILITIES, { error: `capabilities must be among ${MODEL_CAPABILITIES.join(", ")}` }))
  .refine((list) => new Set(list).size === list.length, { error: "capabilities must not repeat a capability" })
  .refine((list) => !list.includes("embeddings") || list.length === 1, {
    error: "capabilities: an embedding model (embeddings) has no chat capabilities",
  });

/**
 * `POST /v1/admin/models`: a new model, or a new price for a known one,
 * effective now or at a future `effective_from` (never in the past). Prices
 * are USD per 1M tokens as strings. Fields left out of a new price are copied
 * from the model's row in effect at that time; a new model needs provider,
 * input and output prices, context window and output limit (its
 * `capabilities` default to `[]`, plain text chat).
 */
export const catalogModelBody = z.object({
  id: z.string().regex(CATALOG_MODEL_ID, { error: "id: 1–128 of letters, digits and . _ : / -" }),
  provider: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{0,63}$/, { error: "provider must be a lowercase name such as openai" })
    .optional(),
  upstream_model: z.string().min(1).max(200).optional(),
  input_usd_per_mtok: price("input_usd_per_mtok").optional(),
  cached_input_usd_per_mtok: price("cached_input_usd_per_mtok").optional(),
  output_usd_per_mtok: price("output_usd_per_mtok").optional(),
  context_window: tokens.optional(),
  max_output_tokens: tokens.optional(),
  capabilities: capabilities.optional(),
  effective_from: z.iso.datetime({ offset: true }).optional(),
});

export type CatalogModelRequest = z.input<typeof catalogModelBody>;
export type CatalogModelBody = z.output<typeof catalogModelBody>;

/** `GET /v1/admin/models` query: `state` narrows to rows in that state. */
export const catalogListQuery = z.object({ state: z.enum(CATALOG_ROW_STATES).optional() });

/** `DELETE /v1/admin/models/{id}`: the id may contain "/" (`meta/llama-3`). */
export const catalogModelParams = z.object({
  id: z.string().regex(CATALOG_MODEL_ID, { error: "not a catalog model id" }),
});

/** One effective-dated catalog row; `state` only in lists. */
export const catalogModelSchema = z.object({
  id: z.string(),
  provider: z.string(),
  upstream_model: z.string(),
  input_usd_per_mtok: usdAmount,
  cached_input_usd_per_mtok: usdAmount,
  output_usd_per_mtok: usdAmount,
  context_window: z.number().int(),
  max_output_tokens: z.number().int(),
  capabilities: z.array(z.enum(MODEL_CAPABILITIES)),
  status: z.enum(["active", "retired"]),
  effective_from: timestamp,
  created_at: timestamp,
  state: z.enum(CATALOG_ROW_STATES).optional(),
});

export type CatalogModel = z.output<typeof catalogModelSchema>;

export const catalogModelListSchema = listOf(catalogModelSchema);

/** A retirement: from when (null when the model had only scheduled rows), and the scheduled rows dropped. */
export const retiredModelSchema = z.object({
  id: z.string(),
  status: z.literal("retired"),
  retired_from: timestamp.nullable(),
  changed: z.boolean(),
  cancelled_scheduled: z.number().int(),
});

export type RetiredModel = z.output<typeof retiredModelSchema>;
