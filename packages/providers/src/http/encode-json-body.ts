import { AppError } from "@modelfaucet/core";
import { RequestEncodingError } from "../errors/request-encoding-error.js";

/**
 * `body` as JSON text for an upstream call, before any connection is made.
 * `JSON.stringify` recurses: a value nested a few thousand levels deep (a
 * tool call's `arguments` parsed into an object, say) overflows the stack
 * with a RangeError, as does a result longer than a string can be — the
 * caller's input, refused with 400 `invalid_request`. Any other failure is
 * ours (RequestEncodingError). Neither is an upstream fault.
 */
export function encodeJsonBody(providerId: string, body: object): string {
  try {
    return JSON.stringify(body);
  } catch (error) {
    if (error instanceof RangeError) {
      throw new AppError("invalid_request", "The request is nested too deeply or too large to be sent upstream.", {
        cause: error,
      });
    }
    throw new RequestEncodingError(providerId, error);
  }
}
