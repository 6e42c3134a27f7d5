import { FEATURE_KEY_PATTERN, featureManifestSchema } from "@modelfaucet/core";
import { z } from "zod";
import { listOf, timestamp } from "../wire.js";
import { appParams } from "./apps.js";

/**
 * A feature manifest (CONTRACT.md "Feature manifest") is validated by core,
 * which prices requests from it; `POST /v1/developer/apps/:id/features`
 * takes one whole.
 */
export {
  FEATURE_KEY_PATTERN,
  featureManifestSchema,
  type FeatureManifest,
  type FeatureManifestInput,
} from "@modelfaucet/core";

/**
 * `PATCH …/features/:featureKey`: a JSON Merge Patch (RFC 7386) of the stored
 * manifest. `{"policy": {"max_output_tokens": 512}}` changes that one
 * setting, `null` removes a field (back to its default, or refused when it is
 * required), arrays replace. The merged manifest is validated whole.
 */
export const patchFeatureBody = z.strictObject({
  feature_key: z.string().optional(),
  display_name: z.unknown().optional(),
  policy: z.unknown().optional(),
  pricing: z.unknown().optional(),
});

export const featureParams = appParams.extend({
  featureKey: z.string().regex(FEATURE_KEY_PATTERN, { error: "must be a feature key" }),
});

/** A feature as stored: its manifest, defaults filled in, with its app and status. */
export const featureSchema = featureManifestSchema.extend({
  public_app_id: z.string(),
  status: z.enum(["active", "archived"]),
  created_at: timestamp,
  updated_at: timestamp,
});

export type Feature = z.output<typeof featureSchema>;

/** The answer to a create: the feature without its timestamps. */
export const createdFeatureSchema = featureSchema.omit({ created_at: true, updated_at: true });

export type CreatedFeature = z.output<typeof createdFeatureSchema>;

export const featureListSchema = listOf(featureSchema);
