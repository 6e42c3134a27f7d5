import { createGuardedConnector, UpstreamPools, type GuardedConnectorOptions } from "@modelfaucet/providers";

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
 */
export function createGuardedUpstreamPools(options: GuardedUpstreamPoolsOptions = {}): UpstreamPools {
  const { keepAliveTimeoutMs = 30_000, connectionsPerOrigin = 64, maxOrigins = 256, ...guard } = options;
  return new UpstreamPools({
    keepAliveTimeoutMs,
    connectionsPerOrigin,
    maxOrigins,
    connect: createGuardedConnector(guard),
  });
}
