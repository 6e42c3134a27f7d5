import { isSaneRequestId } from "@modelfaucet/core";
import { z } from "zod";
import { usdAmount } from "../money.js";
import { timestamp } from "../wire.js";

// Local metering (CONTRACT.md, "Local Bridge"): the SDK gets a ticket from the
// Control API with the session, sends it to the bridge with the call, and the
// bridge reports token counts — never text — against it.

/** The header the SDK sends the ticket to the bridge in. */
export const LOCAL_TICKET_HEADER = "x-modelfaucet-ticket";

/**
 * A ticket as it travels: printable ASCII without spaces, at most 256
 * characters. Bridges refuse anything else before any upstream call.
 */
export const LOCAL_TICKET_PATTERN = /^[\x21-\x7e]{1,256}$/;

/** Where a report's token counts come from: the local server's own `usage`, or the bridge's count of the text. */
export const USAGE_SOURCES = ["upstream", "estimated"] as const;

export type UsageSource = (typeof USAGE_SOURCES)[number];

/** Most tokens one side of one local call may report: far above any context window, so a count past it is a bug. */
export const MAX_LOCAL_REPORT_TOKENS = 10_000_000;

// A bridge model id is `<runtime>/<the local server's own id>` (`ollama/qwen2.5:7b`, `vllm/Qwen/Qwen2.5-7B`).
const LOCAL_MODEL_ID = /^[\x21-\x7e]{1,256}$/;

/**
 * `POST /v1/local/tickets` (session): a ticket for one local call. The
 * feature is the one named here or the session's; its local fee, if any, is
 * held until the report settles it.
 */
export const localTicketBody = z.strictObject({
  feature_key: z.string().min(1).max(64).optional(),
  model: z.string().regex(LOCAL_MODEL_ID, { error: "must be a model id (printable, no spaces)" }).optional(),
});

export type LocalTicketRequest = z.input<typeof localTicketBody>;

/**
 * The ticket granted (`mf_lt_…`): a single-use credential for one report,
 * accepted until a grace period after `expires_at` (the Control API's
 * LOCAL_TICKET_GRACE_SECONDS). A ticket whose call the bridge did not report
 * (it refused the call, or the local server did) may be sent with another
 * call; one never reported is released by the worker after the grace period.
 */
export const localTicketSchema = z.object({
  ticket: z.string().regex(LOCAL_TICKET_PATTERN),
  expires_at: timestamp,
  /** The feature's local fee, held on the wallet until the report settles it ("0.00000000" when there is none). */
  local_fee_usd: usdAmount,
  /** The feature the call is billed under (the one named, else the session's, else the app's only one). */
  feature_key: z.string(),
  /** The wallet's available balance with the fee held: what it will be once the report settles it. */
  available_usd: usdAmount,
});

export type LocalTicket = z.output<typeof localTicketSchema>;

const tokenCount = z
  .number({ error: "must be a number" })
  .int({ error: "must be an integer" })
  .min(0, { error: "must not be negative" })
  .max(MAX_LOCAL_REPORT_TOKENS, { error: `must be at most ${MAX_LOCAL_REPORT_TOKENS}` });

/**
 * `POST /v1/usage/local-report`, `Authorization: Bearer <ticket>`: what one
 * local call used. Strict: a report carrying any other field — `prompt`,
 * `messages`, `content`, `output`, anything — is refused (400), so no text
 * of the call can travel with it. Idempotent on `request_id` (the bridge's
 * `x-request-id` for the call).
 */
export const localUsageReportBody = z.strictObject({
  request_id: z
    .string({ error: "is required and must be a string" })
    .refine(isSaneRequestId, { error: "must be printable ASCII of at most 128 characters" }),
  model: z
    .string({ error: "is required and must be a string" })
    .regex(LOCAL_MODEL_ID, { error: "must be a model id (printable, no spaces)" }),
  input_tokens: tokenCount,
  output_tokens: tokenCount,
  usage_source: z.enum(USAGE_SOURCES, { error: `must be one of ${USAGE_SOURCES.join(", ")}` }),
});

export type LocalUsageReport = z.output<typeof localUsageReportBody>;

/** `settled`: this report settled the ticket. `already_settled`: a replay of the same `request_id`; nothing changed. */
export const LOCAL_REPORT_RESULTS = ["settled", "already_settled"] as const;

/** The answer to a report: what the call was charged (the local fee, as in the `modelfaucet` block). */
export const localUsageReportResultSchema = z.object({
  request_id: z.string(),
  result: z.enum(LOCAL_REPORT_RESULTS),
  price_usd: usdAmount,
});

export type LocalUsageReportResult = z.output<typeof localUsageReportResultSchema>;
