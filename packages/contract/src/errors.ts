import { ERROR_STATUS, ERROR_TYPES, type ErrorCode } from "@modelfaucet/core";
import { z } from "zod";
import { usdAmount } from "./money.js";

/**
 * Error codes and the envelope are defined beside AppError in core, which
 * raises them; clients import them from here.
 */
export {
  ERROR_STATUS,
  ERROR_TYPES,
  errorType,
  isErrorCode,
  type ErrorCode,
  type ErrorEnvelope,
  type ErrorType,
} from "@modelfaucet/core";

/** Every stable code, in ERROR_STATUS order. */
export const ERROR_CODES = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];

/**
 * `{error: {code, message, request_id, type, param, …}}`: every failure of the
 * API and the Gateway. A superset of OpenAI's error body; facts beside the
 * standard fields are snake_case (a 402 from the Gateway's hold carries
 * `needed_usd` and `available_usd`). `GET /ready`'s 503 sends its checks
 * beside `error`.
 */
export const errorEnvelopeSchema = z.looseObject({
  error: z.looseObject({
    code: z.enum(ERROR_CODES),
    message: z.string().meta({ description: "Whole sentences, safe to show to the end user." }),
    request_id: z.string().meta({ description: "The request's x-request-id." }),
    type: z.enum(ERROR_TYPES),
    param: z.string().nullable().meta({ description: "The request field at fault (`messages.0.content`)." }),
    needed_usd: usdAmount.optional().meta({ description: "402 from a hold: what the request needed held." }),
    available_usd: usdAmount.optional().meta({ description: "402 from a hold: what the account had available." }),
  }),
});
