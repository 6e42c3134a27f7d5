import type { Queryable } from "@modelfaucet/db";

/** What stopped: every session of an app (archived), or one session (revoked). */
export type SessionInvalidation = { appId: string } | { sessionId: string };

/**
 * How long an invalidation is remembered. Session caches must not trust an
 * entry longer than this (createSessionAuthenticator checks it), so a
 * forgotten invalidation can no longer matter to any cached entry.
 */
export const INVALIDATION_RETENTION_MS = 60_000;

/** Most invalidations remembered at once; past it everything cached is dropped instead. */
const MAX_REMEMBERED = 100_000;

/** Forwards an invalidation to the other processes (see connectSessionInvalidationChannel). */
export type RemoteInvalidationPublisher = (event: SessionInvalidation) => Promise<void>;

/**
 * The invalidations of cached sessions in this process, in order. Session
 * caches note `position()` before they look a session up and ask
 * `isStale(context, position)` on every hit: two Map lookups, no I/O. A
 * lookup that raced an invalidation is stale too, since it started before it.
 */
export class SessionInvalidations {
  private sequence = 0;
  private everythingBefore = 0;
  // By app id and by session id: a hit looks both up without building a key.
  private readonly staleApps = new Map<string, { sequence: number; at: number }>();
  private readonly staleSessions = new Map<string, { sequence: number; at: number }>();
  private remote: RemoteInvalidationPublisher | undefined;

  /** The current point in the order of invalidations. */
  position(): number {
    return this.sequence;
  }

  /** True when the app or the session was invalidated after `since` (a `position()`). */
  isStale(context: { appId: string; sessionId: string }, since: number): boolean {
    if (this.everythingBefore > since) return true;
    const app = this.staleApps.get(context.appId);
    const session = this.staleSessions.get(context.sessionId);
    return (app !== undefined && app.sequence > since) || (session !== undefined && session.sequence > since);
  }

  /** Applies an invalidation in this process at once (whoever made it: this process or another). */
  apply(event: SessionInvalidation): void {
    const [stale, key] = "appId" in event ? [this.staleApps, event.appId] : [this.staleSessions, event.sessionId];
    const now = Date.now();
    this.sequence += 1;
    stale.delete(key);
    stale.set(key, { sequence: this.sequence, at: now });
    this.forgetBefore(now - INVALIDATION_RETENTION_MS);
    if (this.staleApps.size + this.staleSessions.size > MAX_REMEMBERED) this.applyToEverything();
  }

  /** Makes everything cached so far stale: invalidations may have been missed (the channel was down). */
  applyToEverything(): void {
    this.sequence += 1;
    this.everythingBefore = this.sequence;
    this.staleApps.clear();
    this.staleSessions.clear();
  }

  /** Applies an invalidation here, then tells the other processes when a channel is connected. */
  async publish(event: SessionInvalidation): Promise<void> {
    this.apply(event);
    await this.remote?.(event);
  }

  /** Sends this process's invalidations to others from now on; undefined disconnects. */
  connectRemote(publisher: RemoteInvalidationPublisher | undefined): void {
    this.remote = publisher;
  }

  private forgetBefore(cutoff: number): void {
    for (const stale of [this.staleApps, this.staleSessions]) {
      for (const [key, entry] of stale) {
        if (entry.at >= cutoff) break;
        stale.delete(key);
      }
    }
  }
}

const byDatabase = new WeakMap<Queryable, SessionInvalidations>();

/**
 * The invalidations of sessions read from `db` in this process. Keyed by the
 * database handle so that services built on one handle (API and Gateway in
 * `pnpm start`, or in a test) share them with no wiring: an API in the same
 * process invalidates the Gateway's cache synchronously.
 */
export function sessionInvalidationsOf(db: Queryable): SessionInvalidations {
  let invalidations = byDatabase.get(db);
  if (!invalidations) {
    invalidations = new SessionInvalidations();
    byDatabase.set(db, invalidations);
  }
  return invalidations;
}
