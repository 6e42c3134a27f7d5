import type { Queryable } from "@modelfaucet/db";
import pg from "pg";
import type { Logger } from "pino";
import { invalidationMessages, type InvalidationChannel } from "./invalidation-message.js";
import type { SessionInvalidation, SessionInvalidations } from "./session-invalidations.js";

/** The PostgreSQL NOTIFY channel session invalidations travel on. */
export const SESSION_INVALIDATION_PG_CHANNEL = "modelfaucet_session_invalidations";

const MAX_RECONNECT_DELAY_MS = 5000;

/**
 * Connects this process's session invalidations to every other process on
 * the same PostgreSQL database, for deployments without Redis: a connection
 * of its own LISTENs, publishing is a NOTIFY through `db` (returning once
 * it is heard back, so every listener has been sent it). The listener
 * reconnects with capped backoff; after every (re)connection everything
 * cached here is dropped, since notifications sent meanwhile were missed.
 */
export function connectPostgresInvalidationChannel(
  invalidations: SessionInvalidations,
  db: Queryable,
  databaseUrl: string,
  logger: Logger,
): InvalidationChannel {
  const messages = invalidationMessages(invalidations, logger);
  let client: pg.Client | undefined;
  let closed = false;
  let attempt = 0;
  let retry: NodeJS.Timeout | undefined;

  const onNotification = (message: pg.Notification): void => {
    if (message.channel === SESSION_INVALIDATION_PG_CHANNEL) messages.incoming(message.payload ?? "");
  };

  const scheduleReconnect = (): void => {
    if (closed || retry) return;
    attempt += 1;
    retry = setTimeout(
      () => {
        retry = undefined;
        void listen();
      },
      Math.min(attempt * 200, MAX_RECONNECT_DELAY_MS),
    );
    retry.unref();
  };

  async function listen(): Promise<void> {
    const next = new pg.Client({ connectionString: databaseUrl });
    next.on("error", (error: Error) => {
      logger.warn({ err: error }, "session invalidation listener lost; session caches rely on their TTL");
      void next.end().catch(() => {});
      if (client === next) client = undefined;
      scheduleReconnect();
    });
    next.on("notification", onNotification);
    try {
      await next.connect();
      await next.query(`LISTEN ${SESSION_INVALIDATION_PG_CHANNEL}`);
    } catch (error) {
      logger.warn({ err: error }, "could not listen for session invalidations; retrying");
      await next.end().catch(() => {});
      return scheduleReconnect();
    }
    if (closed) return void (await next.end());
    client = next;
    attempt = 0;
    invalidations.applyToEverything();
  }

  invalidations.connectRemote(async (event: SessionInvalidation) => {
    const { text, echoed, abandon } = messages.outgoing(event);
    try {
      await db.query("SELECT pg_notify($1, $2)", [SESSION_INVALIDATION_PG_CHANNEL, text]);
    } catch (error) {
      abandon();
      logger.warn({ err: error }, "could not publish a session invalidation; other processes drop it within their TTL");
    }
    await echoed;
  });
  return {
    ready: listen(),
    async close() {
      closed = true;
      clearTimeout(retry);
      invalidations.connectRemote(undefined);
      await client?.end().catch(() => {});
    },
  };
}
