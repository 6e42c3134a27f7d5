import { z } from "zod";

import { fieldMessage } from "./field-message.js";

/** Most models one allow-list may name. */
export const MAX_ALLOWED_MODELS = 100;

/**
 * `policy.models`: the catalog ids `model_policy: cheapest_sufficient` may
 * choose from (absent: every active catalog model a route of the session can
 * serve). Ids are not checked against the catalog here — the catalog changes
 * after a manifest is written; an id no longer in it is simply never chosen.
 */
export const modelAllowListSchema = z
  .array(
    z
      .string({ error: fieldMessage("policy.models[]", "a model id") })
      .min(1, { error: "policy.models entries must not be empty" })
      .max(200, { error: "policy.models entries must be at most 200 characters" }),
    { error: fieldMessage("policy.models", "an array of model ids") },
  )
  .min(1, { error: "policy.models must name at least one model (leave it out to allow the whole catalog)" })
  .max(MAX_ALLOWED_MODELS, { error: `policy.models may name at most ${MAX_ALLOWED_MODELS} models` })
  .refine((ids) => new Set(ids).size === ids.length, { error: "policy.models must not repeat a model" });
