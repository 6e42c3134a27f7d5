import { z } from "zod";

import { featurePolicySchema } from "./feature-policy-schema.js";
import { featurePricingSchema } from "./feature-pricing-schema.js";
import { fieldMessage, objectMessage } from "./field-message.js";

/** A feature key: lowercase, starts with a letter or digit, at most 64 characters; safe in URLs and metric labels. */
export const FEATURE_KEY_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

/**
 * A developer's feature: what it is called, how it routes, what it charges
 * (CONTRACT.md "Feature manifest"). `policy` and `pricing` are required as
 * objects, since each holds a field with no sensible default.
 */
export const featureManifestSchema = z.strictObject(
  {
    feature_key: z.string({ error: fieldMessage("feature_key", "a string") }).regex(FEATURE_KEY_PATTERN, {
      error: "feature_key must be 1-64 characters of a-z, 0-9, '_', '.', '-', starting with a letter or digit",
    }),
    display_name: z
      .string({ error: fieldMessage("display_name", "a string") })
      .trim()
      .min(1, { error: "display_name must not be blank" })
      .max(200, { error: "display_name must be at most 200 characters" }),
    policy: featurePolicySchema,
    pricing: featurePricingSchema,
  },
  { error: objectMessage("feature manifest") },
);

/** A validated manifest, defaults filled in and money strings normalised. */
export type FeatureManifest = z.output<typeof featureManifestSchema>;

/** A manifest as a developer may send it (fields with defaults may be left out). */
export type FeatureManifestInput = z.input<typeof featureManifestSchema>;
