import { AppError } from "@modelfaucet/core";

/**
 * A request the Gemini API cannot express without changing what the model
 * is asked (an image by `gs://` URL, an OpenAI file id, an unknown part or
 * role, a tool result with no matching call). Refused before any I/O as an
 * operating error (`invalid_request`, 400): it is the caller's input, not an
 * upstream failure, so it is not a ProviderError and is not retried.
 * The message names the field, never echoes its value.
 */
export function unsupportedInput(what: string): AppError {
  return new AppError("invalid_request", `The Gemini provider cannot send ${what}.`);
}
