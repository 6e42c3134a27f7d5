import { StreamInterruptedError } from "../errors/faucet-error.js";

/** An event's JSON data; data that is not JSON ends the stream as StreamInterruptedError `invalid_response`. */
export function parseEventData(data: string, requestId: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(data);
    if (typeof parsed === "object" && parsed !== null) return parsed as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new StreamInterruptedError({
    code: "invalid_response",
    message: `The stream sent an event that is not a JSON object: ${data.slice(0, 100)}`,
    status: 200,
    requestId,
  });
}
