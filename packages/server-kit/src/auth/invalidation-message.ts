import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { z } from "zod";
import { createEchoWaiter } from "./echo-waiter.js";
import type { SessionInvalidation, SessionInvalidations } from "./session-invalidations.js";

const sender = { origin: z.string().max(64), seq: z.number().int().positive() };
const messageSchema = z.union([
  z.strictObject({ ...sender, appId: z.string().min(1).max(100) }),
  z.strictObject({ ...sender, sessionId: z.string().min(1).max(100) }),
]);

/** A connection between this process's invalidations and the other processes'. */
export interface InvalidationChannel {
  /** Settles once the first subscription is in place (or has failed and is being retried). */
  ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * The messages of one process on an invalidation channel, whatever carries
 * them: each is marked with the process (`origin`) and its number there
 * (`seq`), so the process skips its own and knows when one came back.
 */
export function invalidationMessages(invalidations: SessionInvalidations, logger: Logger) {
  const origin = randomUUID();
  const echoes = createEchoWaiter();
  return {
    /** The text to send for `event`; `echoed` settles when it is heard back, `abandon` when it could not be sent. */
    outgoing(event: SessionInvalidation): { text: string; echoed: Promise<void>; abandon: () => void } {
      const { seq, echoed } = echoes.next();
      return { text: JSON.stringify({ origin, seq, ...event }), echoed, abandon: () => echoes.heard(seq) };
    },
    /** Applies a message heard on the channel: another process's invalidation, or the echo of our own. */
    incoming(text: string): void {
      const parsed = parse(text);
      if (!parsed) return logger.warn("ignored a malformed session invalidation message");
      const { origin: from, seq, ...event } = parsed;
      if (from === origin) echoes.heard(seq);
      else invalidations.apply(event);
    },
  };
}

// A channel is shared infrastructure: trust nothing heard on it.
function parse(text: string): z.infer<typeof messageSchema> | undefined {
  try {
    const result = messageSchema.safeParse(JSON.parse(text));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}
