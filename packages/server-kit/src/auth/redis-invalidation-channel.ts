import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { invalidationMessages, type InvalidationChannel } from "./invalidation-message.js";
import type { SessionInvalidation, SessionInvalidations } from "./session-invalidations.js";

/** The Redis pub/sub channel session invalidations travel on. */
export const SESSION_INVALIDATION_CHANNEL = "modelfaucet:session-invalidations";

/**
 * Connects this process's session invalidations to every other process on
 * the same Redis: what this process publishes goes out on
 * SESSION_INVALIDATION_CHANNEL (and `publish` returns once Redis has carried
 * it back, i.e. fanned it out to every subscriber), what others publish is
 * applied here. While the subscription is down, messages may be missed, so
 * on every (re)subscription everything cached here is dropped; in between,
 * caches fall back to their TTL. A failed publish is logged, never thrown:
 * the change itself is committed, and the TTL still bounds it.
 */
export function connectRedisInvalidationChannel(
  invalidations: SessionInvalidations,
  redis: Redis,
  logger: Logger,
): InvalidationChannel {
  const messages = invalidationMessages(invalidations, logger);
  // A subscribed connection can run no other command: a connection of its own,
  // with a queue so the SUBSCRIBE issued before it connects waits for it.
  const subscriber = redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
  subscriber.on("error", () => {
    // connectRedis already reports the server unreachable; ioredis keeps reconnecting.
  });
  subscriber.on("ready", () => invalidations.applyToEverything());
  subscriber.on("message", (channel: string, text: string) => {
    if (channel === SESSION_INVALIDATION_CHANNEL) messages.incoming(text);
  });
  const ready = subscriber.subscribe(SESSION_INVALIDATION_CHANNEL).then(
    () => undefined,
    (error: Error) => {
      logger.warn({ err: error }, "could not subscribe to session invalidations; session caches rely on their TTL");
    },
  );
  invalidations.connectRemote(async (event: SessionInvalidation) => {
    const { text, echoed, abandon } = messages.outgoing(event);
    try {
      await redis.publish(SESSION_INVALIDATION_CHANNEL, text);
    } catch (error) {
      abandon();
      logger.warn({ err: error }, "could not publish a session invalidation; other processes drop it within their TTL");
    }
    await echoed;
  });
  return {
    ready,
    async close() {
      invalidations.connectRemote(undefined);
      subscriber.disconnect();
    },
  };
}
