import { appLimitsSchema } from "@modelfaucet/core";
import { z } from "zod";
import { DEVELOPER_ID, prefixedId } from "../ids.js";
import { listOf, timestamp } from "../wire.js";

/** Who may mint sessions: anyone with the public id (`public`), or only the app's backend (`signed`). */
export const SESSION_MODES = ["public", "signed"] as const;

const appName = z.string().trim().min(1).max(200);
const sessionMode = z.enum(SESSION_MODES);

/** `POST /v1/developer/apps`. */
export const createAppBody = z.object({
  // Required with the bootstrap token; a developer token may omit it (or name its own developer).
  developer_id: z.string().regex(DEVELOPER_ID, { error: "developer_id must be a developer id (dev_…)" }).optional(),
  name: appName,
  // New apps are signed by default: only the app's backend may mint sessions.
  session_mode: sessionMode.default("signed"),
  // Budgets and per-end-user rates across the app (README, "Budgets and limits"); none when left out.
  limits: appLimitsSchema.optional(),
});

export type CreateAppRequest = z.input<typeof createAppBody>;

/** `PATCH /v1/developer/apps/:publicAppId`. */
export const patchAppBody = z
  .strictObject({
    name: appName.optional(),
    session_mode: sessionMode.optional(),
    // Replaces the app's limits whole; null removes them.
    limits: appLimitsSchema.nullable().optional(),
  })
  .refine((body) => body.name !== undefined || body.session_mode !== undefined || body.limits !== undefined, {
    error: "send name, session_mode and/or limits",
  });

export type PatchAppRequest = z.input<typeof patchAppBody>;

/** `?developer_id=`: the developer the bootstrap token lists for (a developer token's own otherwise). */
export const actingDeveloperQuery = z.object({ developer_id: z.string().max(100).optional() });

export const appParams = z.object({ publicAppId: z.string().min(1).max(100) });

export const secretKeyParams = appParams.extend({
  id: z.string().regex(prefixedId("ask"), { error: "must be an app secret key id (ask_…)" }),
});

export const developerAppSchema = z.object({
  public_app_id: z.string(),
  developer_id: z.string(),
  name: z.string(),
  session_mode: sessionMode,
  status: z.enum(["active", "archived"]),
  created_at: timestamp,
  updated_at: timestamp,
  archived_at: timestamp.nullable(),
  /** The app's budgets and per-end-user rates; null = none. */
  limits: appLimitsSchema.nullable(),
});

export type DeveloperApp = z.output<typeof developerAppSchema>;

export const developerAppListSchema = listOf(developerAppSchema);

/** A new app secret key (`mf_app_sk_…`): `secret_key` is in this answer only. */
export const createdAppSecretKeySchema = z.object({
  id: z.string(),
  public_app_id: z.string(),
  secret_key: z.string(),
  prefix: z.string(),
  created_at: timestamp,
});

export type CreatedAppSecretKey = z.output<typeof createdAppSecretKeySchema>;

export const revokedAppSecretKeySchema = z.object({
  id: z.string(),
  public_app_id: z.string(),
  prefix: z.string(),
  created_at: timestamp,
  revoked_at: timestamp.nullable(),
});

export type RevokedAppSecretKey = z.output<typeof revokedAppSecretKeySchema>;
