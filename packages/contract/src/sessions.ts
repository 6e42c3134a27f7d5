import { ROUTE_MODES } from "@modelfaucet/core";
import { z } from "zod";
import { usdAmount } from "./money.js";

/** Most bytes `metadata` may take as JSON. */
export const MAX_SESSION_METADATA_BYTES = 4096;

/**
 * `POST /v1/sessions`: an app's backend (or, for a `public` app, its client)
 * asks for a session for one end user. A `signed` app proves it with its
 * secret key as the bearer, or with a user assertion made with it.
 */
export const createSessionBody = z
  .object({
    public_app_id: z.string().min(1).max(100),
    external_user_id: z.string().min(1).max(256),
    feature_key: z.string().min(1).max(64).optional(),
    metadata: z
      .record(z.string(), z.unknown())
      .optional()
      .refine((value) => value === undefined || JSON.stringify(value).length <= MAX_SESSION_METADATA_BYTES, {
        error: `metadata must serialize to at most ${MAX_SESSION_METADATA_BYTES} bytes`,
      }),
    // `signed` apps: hex HMAC-SHA256 of the user id by the app's secret key (see signUserAssertion).
    user_assertion: z
      .string()
      .regex(/^[0-9a-f]{64}$/, { error: "user_assertion must be 64 lowercase hex characters" })
      .optional(),
    assertion_expires_at: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  })
  .refine((body) => (body.user_assertion === undefined) === (body.assertion_expires_at === undefined), {
    error: "send user_assertion and assertion_expires_at (unix seconds) together",
    path: ["assertion_expires_at"],
  });

export type CreateSessionRequest = z.input<typeof createSessionBody>;

/** The session granted: the token the client calls the Gateway with, and where. */
export const sessionGrantSchema = z.object({
  session_token: z.string().meta({ description: "mf_sess_…, the Gateway bearer; expires after expires_in seconds." }),
  expires_in: z.number().int().positive(),
  gateway_base_url: z.string(),
  /** The route modes the session's features (or the one it names) may use. */
  available_modes: z.array(z.enum(ROUTE_MODES)),
  wallet_balance_usd: usdAmount,
});

export type SessionGrant = z.output<typeof sessionGrantSchema>;
