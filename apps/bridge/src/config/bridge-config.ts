import { homedir } from "node:os";
import { join } from "node:path";
import { DEFAULT_UPSTREAM_URLS, UPSTREAM_KINDS, type UpstreamTarget } from "../upstreams/upstream-kinds.js";

/** Everything a bridge process is told, parsed and checked once at start. */
export interface BridgeConfig {
  /** TCP port on every address; 0 picks a free one (the first address's, reused for the others). */
  port: number;
  /** Addresses to listen on: loopback (127.0.0.1 and ::1) unless told. */
  hosts: string[];
  /** Browser origins allowed to call the bridge, exact (`https://app.example.com`); never `*`. */
  allowOrigins: string[];
  /** One local server per kind. */
  upstreams: UpstreamTarget[];
  /** Where the report queue and the lock live. */
  dataDir: string;
  /** The Control API that reports go to (`POST <apiUrl>/v1/usage/local-report`). */
  apiUrl: URL;
}

export const DEFAULT_PORT = 8787;
export const LOOPBACK_HOSTS: readonly string[] = ["127.0.0.1", "::1"];
export const DEFAULT_API_URL = "http://127.0.0.1:3001";

/** `~/.modelfaucet-bridge`: the user's own, so every project on the machine shares one queue. */
export function defaultDataDir(): string {
  return join(homedir(), ".modelfaucet-bridge");
}

/** Every kind at its default URL, with `overrides` (from `--upstream KIND=URL`) in their place. */
export function upstreamTargets(overrides: readonly UpstreamTarget[] = []): UpstreamTarget[] {
  return UPSTREAM_KINDS.map(
    (kind) =>
      overrides.findLast((target) => target.kind === kind) ?? { kind, url: new URL(DEFAULT_UPSTREAM_URLS[kind]) },
  );
}

/** A config with every default, for the library entry and tests. */
export function bridgeConfig(overrides: Partial<BridgeConfig> = {}): BridgeConfig {
  return {
    port: DEFAULT_PORT,
    hosts: [...LOOPBACK_HOSTS],
    allowOrigins: [],
    upstreams: upstreamTargets(),
    dataDir: defaultDataDir(),
    apiUrl: new URL(DEFAULT_API_URL),
    ...overrides,
  };
}
