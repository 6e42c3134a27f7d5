import { createGuardedConnector, UpstreamPools, type GuardedConnectorOptions } from "@modelfaucet/providers";

type Pool = ReturnType<UpstreamPools["get"]>;
type Connector = ReturnType<typeof createGuardedConnector>;
/** The subset of undici's Pool options used here. */
interface PoolOptions {
  connections: number;
  keepAliveTimeout: number;
  keepAliveMaxTimeout: number;
  pipelining: number;
  connect: Connector;
}
type PoolConstructor = new (origin: string, options: PoolOptions) => Pool;

export interface GuardedUpstreamPoolsOptions extends GuardedConnectorOptions {
  /** How long an idle keep-alive connection is kept, ms. Default 30 000. */
  keepAliveTimeoutMs?: number;
  /** Most open connections per origin. Default 64. */
  connectionsPerOrigin?: number;
  /** Most origins with a pool at once; the oldest is closed gracefully beyond it. Default 256. */
  maxOrigins?: number;
}

/**
 * Keep-alive pools for user-supplied base URLs (BYOK and developer keys):
 * every connection goes through the URL guard's connector (DNS checked at
 * connect time, socket to the checked address, no redirects), so a stored
 * base URL can never reach a private, loopback or metadata address unless
 * PROVIDER_ALLOW_PRIVATE_HOSTS names it.
 *
 * `UpstreamPools` takes no connector option, so this subclass keeps its own
 * pools. The Gateway does not depend on undici directly: the Pool class is
 * taken from a pool the base class builds (no connection is opened by
 * constructing one). A `connect` option on UpstreamPools would remove this.
 */
export class GuardedUpstreamPools extends UpstreamPools {
  readonly #pools = new Map<string, Pool>();
  readonly #connect: Connector;
  readonly #PoolClass: PoolConstructor;
  readonly #keepAliveTimeoutMs: number;
  readonly #connectionsPerOrigin: number;
  readonly #maxOrigins: number;
  #closed = false;

  constructor(options: GuardedUpstreamPoolsOptions = {}) {
    const { keepAliveTimeoutMs = 30_000, connectionsPerOrigin = 64, maxOrigins = 256, ...guard } = options;
    super({ keepAliveTimeoutMs, connectionsPerOrigin, maxOrigins: 1 });
    this.#connect = createGuardedConnector(guard);
    this.#keepAliveTimeoutMs = keepAliveTimeoutMs;
    this.#connectionsPerOrigin = connectionsPerOrigin;
    this.#maxOrigins = maxOrigins;
    // Constructing a Pool opens nothing; the probe pool is closed right away.
    const probe = super.get("http://127.0.0.1:9");
    this.#PoolClass = probe.constructor as PoolConstructor;
    void super.close().catch(() => undefined);
  }

  override get(origin: string): Pool {
    if (this.#closed) throw new Error("GuardedUpstreamPools is closed");
    const existing = this.#pools.get(origin);
    if (existing !== undefined) return existing;
    if (this.#pools.size >= this.#maxOrigins) {
      const [oldest, pool] = this.#pools.entries().next().value as [string, Pool];
      this.#pools.delete(oldest);
      void pool.close().catch(() => undefined);
    }
    const pool = new this.#PoolClass(origin, {
      connections: this.#connectionsPerOrigin,
      keepAliveTimeout: this.#keepAliveTimeoutMs,
      keepAliveMaxTimeout: this.#keepAliveTimeoutMs,
      pipelining: 1,
      connect: this.#connect,
    });
    this.#pools.set(origin, pool);
    return pool;
  }

  override get size(): number {
    return this.#pools.size;
  }

  override async close(): Promise<void> {
    this.#closed = true;
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((pool) => pool.close()));
  }
}
