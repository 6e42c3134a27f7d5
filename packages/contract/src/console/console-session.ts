import { z } from "zod";
import { DEVELOPER_SCOPES } from "../developer/tokens.js";
import { timestamp } from "../wire.js";

/** Who a console session acts as: a developer's `mf_dev_` token, DEVELOPER_ADMIN_TOKEN, or the operator's ADMIN_TOKEN. */
export const CONSOLE_AUTHORITIES = ["developer", "developer_admin", "operator"] as const;

export type ConsoleAuthority = (typeof CONSOLE_AUTHORITIES)[number];

/** The header that carries a session's CSRF token on unsafe methods. */
export const CSRF_HEADER = "x-csrf-token";

/** `POST /v1/console/sessions`: the token to sign in with; it is never stored or sent back. */
export const consoleSignInBody = z.object({
  token: z.string().trim().min(1).max(300),
});

export type ConsoleSignInRequest = z.input<typeof consoleSignInBody>;

/**
 * A console session as the dashboard sees it (`POST /v1/console/sessions`,
 * `GET /v1/console/session`): who it acts as, until when, and the CSRF token
 * to send in `x-csrf-token` with every POST, PATCH and DELETE. The session
 * itself travels only in its httpOnly cookie.
 */
export const consoleSessionSchema = z.object({
  authority: z.enum(CONSOLE_AUTHORITIES),
  /** The developer a `developer` session acts for; null for the admin authorities. */
  developer_id: z.string().nullable(),
  /** Developer scopes it holds: the signing token's (live), all for developer_admin, none for operator. */
  scopes: z.array(z.enum(DEVELOPER_SCOPES)),
  expires_at: timestamp,
  csrf_token: z.string(),
});

export type ConsoleSession = z.output<typeof consoleSessionSchema>;
