import { Pool, type buildConnector } from "undici";

/** Opens the socket of a new connection (undici's connector signature), e.g. the URL guard's. */
export type UpstreamConnector = buildConnector.connector;

export interface UpstreamPoolsOptions {
  /**
   * Most time to establish a TCP (+TLS) connection, ms. Default 10 000.
   * With `connect`, the connector enforces its own connect timeout instead.
   */
  connectTimeoutMs?: number;
  /** How long an idle keep-alive connection is kept, ms. Default 30 000 (the server's hint wins when shorter). */
  keepAliveTimeoutMs?: number;
  /** Most open connections per origin. Default 256. */
  connectionsPerOrigin?: number;
  /** Most origins with a pool at once; the oldest pool is closed gracefully beyond it. Default 256. */
  maxOrigins?: number;
  /**
   * Opens every connection of every pool instead of undici's default
   * connector: createGuardedConnector, so user-supplied base URLs are checked
   * after DNS resolution at each connect. Default: undici's own.
   */
  connect?: UpstreamConnector | undefined;
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
  readonly #options: Required<Omit<UpstreamPoolsOptions, "connect">>;
  readonly #connect: UpstreamConnector | undefined;
  readonly #pools = new Map<string, Pool>();
  #closed = false;

  constructor(options: UpstreamPoolsOptions = {}) {
    const { connect, ...limits } = options;
    const merged = { ...DEFAULT_UPSTREAM_POOLS_OPTIONS, ...limits };
    for (const [name, value] of Object.entries(merged)) {
      if (!Number.isSafeInteger(value) || value < 1) {
        throw new RangeError(`UpstreamPools option ${name} must be a positive integer, got ${String(value)}`);
      }
    }
    if (connect !== undefined && typeof connect !== "function") {
      throw new TypeError("UpstreamPools option connect must be a connector function");
    }
    this.#options = merged;
    this.#connect = connect;
  }

  /** The pool for an origin (`https://host:port`), created on first use. */
  get(origin: string): Pool {
    if (this.#closed) throw new Error("UpstreamPools is closed");
    const existing = this.#pools.get(origin);
    if (existing !== undefined) return existing;
    if (this.#pools.size >= this.#options.maxOrigins) this.#evictOldest();
    const pool = new Pool(origin, {
      connections: this.#options.connectionsPerOrigin,
      keepAliveTimeout: this.#options.keepAliveTimeoutMs,
      keepAliveMaxTimeout: this.#options.keepAliveTimeoutMs,
      pipelining: 1,
      ...(this.#connect === undefined
        ? { connectTimeout: this.#options.connectTimeoutMs }
        : { connect: this.#connect }),
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
