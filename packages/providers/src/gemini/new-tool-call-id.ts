import { randomBytes } from "node:crypto";

/**
 * An id for a tool call Gemini sent without one (it usually does). Only the
 * client uses it, to pair its `tool` message with the call; Gemini pairs
 * calls and responses by name and order, so the id is never sent back.
 */
export function newToolCallId(): string {
  return `call_${randomBytes(12).toString("hex")}`;
}
