import { Pool } from "undici";

export interface UpstreamPoolsOptions {
  /** Most time to establish a TCP (+TLS) connection, ms. Default 10 000. */
  connectTimeoutMs?: number;
  /** How long an idle keep-alive connection is kept, ms. Default 30 000 (the server's hint wins when shorter). */
  keepAliveTimeoutMs?: number;
  /** Most open connections per origin. Default 256. */
  connectionsPerOrigin?: number;
  /** Most origins with a pool at once; the oldest pool is closed gracefully beyond it. Default 256. */
  maxOrigins?: number;
}

/** Defaults of UpstreamPoolsOptions (ms and counts, as named). */
export const DEFAULT_UPSTREAM_POOLS_OPTIONS = Object.freeze({
  connectTimeoutMs: 10_000,
  keepAliveTimeoutMs: 30_000,
  connectionsPerOrigin: 256,
  maxOrigins: 256,
});

/**
 * Keep-alive connection pools, one undici `Pool` per origin, shared by every
 * provider instance pointing at that origin (a BYOK key per request must not
 * mean a connection per request). Bounded in origins and connections.
 */
export class UpstreamPools {
  readonly #options: Required<UpstreamPoolsOptions>;
  readonly #pools = new Map<string, Pool>();
  #closed = false;

  constructor(options: UpstreamPoolsOptions = {}) {
    const merged = { ...DEFAULT_UPSTREAM_POOLS_OPTIONS, ...options };
    for (const [name, value] of Object.entries(merged)) {
      if (!Number.isSafeInteger(value) || value < 1) {
        throw new RangeError(`UpstreamPools option ${name} must be a positive integer, got ${String(value)}`);
      }
    }
    this.#options = merged;
  }

  /** The pool for an origin (`https://host:port`), created on first use. */
  get(origin: string): Pool {
    if (this.#closed) throw new Error("UpstreamPools is closed");
    const existing = this.#pools.get(origin);
    if (existing !== undefined) return existing;
    if (this.#pools.size >= this.#options.maxOrigins) this.#evictOldest();
    const pool = new Pool(origin, {
      connections: this.#options.connectionsPerOrigin,
      connectTimeout: this.#options.connectTimeoutMs,
      keepAliveTimeout: this.#options.keepAliveTimeoutMs,
      keepAliveMaxTimeout: this.#options.keepAliveTimeoutMs,
      pipelining: 1,
    });
    this.#pools.set(origin, pool);
    return pool;
  }

  /** Number of origins with an open pool. */
  get size(): number {
    return this.#pools.size;
  }

  /** Closes every pool, waiting for in-flight requests. */
  async close(): Promise<void> {
    this.#closed = true;
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((pool) => pool.close()));
  }

  #evictOldest(): void {
    const [origin, pool] = this.#pools.entries().next().value as [string, Pool];
    this.#pools.delete(origin);
    // Graceful: requests already running on it finish first.
    void pool.close().catch(() => undefined);
  }
}
