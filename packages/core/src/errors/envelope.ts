import { ERROR_STATUS, type ErrorCode } from "./error-code.js";
import { errorType, type ErrorType } from "./error-type.js";

/** Facts an error adds to its envelope beside the standard fields (e.g. `needed_usd`): snake_case, never a secret. */
export type ErrorDetails = Readonly<Record<string, string | number | boolean | null>>;

/** The one shape every failure of the API and the Gateway is sent in; a superset of OpenAI's error body. */
export interface ErrorEnvelope {
  error: {
    code: ErrorCode;
    /** One or more whole sentences, safe to show to the end user. */
    message: string;
    request_id: string;
    type: ErrorType;
    /** The request field at fault (`messages.0.content`), or null when it is not one field. */
    param: string | null;
  } & Record<string, string | number | boolean | null>;
}

export interface ErrorEnvelopeOptions {
  /** The status the error is sent with, when not its code's default; it decides `type`. */
  status?: number;
  param?: string | undefined;
  details?: ErrorDetails | undefined;
}

export function errorEnvelope(
  code: ErrorCode,
  message: string,
  requestId: string,
  options: ErrorEnvelopeOptions = {},
): ErrorEnvelope {
  const type = errorType(options.status ?? ERROR_STATUS[code]);
  const error: ErrorEnvelope["error"] = { code, message, request_id: requestId, type, param: options.param ?? null };
  // Details never override a standard field.
  for (const [name, value] of Object.entries(options.details ?? {})) if (!(name in error)) error[name] = value;
  return { error };
}
