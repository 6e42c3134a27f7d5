import { BridgeError } from "../server/http-reply.js";

/** How much of a local server's own error message is passed on. */
const MAX_MESSAGE_CHARS = 300;

/**
 * A local server's non-2xx answer as the caller's error: 404 stays 404 (a
 * model it does not have), 429 stays 429, any other 4xx is the request's
 * fault (400), anything else the server's (502). Its message is passed on,
 * bounded: it comes from the user's own machine and helps them fix it.
 */
export function upstreamRefusal(kind: string, status: number, body: string): BridgeError {
  const said = messageOf(body);
  const message = `The local ${kind} server answered HTTP ${status}${said ? `: ${said}` : "."}`;
  if (status === 404) return new BridgeError("not_found", message, { param: "model" });
  if (status === 429) return new BridgeError("rate_limited", message);
  if (status >= 400 && status < 500) return new BridgeError("invalid_request", message);
  return new BridgeError("provider_error", message);
}

/** `{error: {message}}` (OpenAI), `{error: "…"}` (Ollama) or `{message}`; else nothing. */
function messageOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: unknown; message?: unknown };
    const error = parsed.error;
    const text =
      typeof error === "string"
        ? error
        : typeof error === "object" && error !== null && typeof (error as { message?: unknown }).message === "string"
          ? (error as { message: string }).message
          : typeof parsed.message === "string"
            ? parsed.message
            : "";
    return text.slice(0, MAX_MESSAGE_CHARS);
  } catch {
    return "";
  }
}
