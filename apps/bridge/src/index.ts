// The bridge as a library: start one in a process of your own (a demo, a
// test), or probe for local model servers. The command is `modelfaucet-bridge`.
export { bridgeConfig, DEFAULT_PORT, type BridgeConfig } from "./config/bridge-config.js";
export { parseOriginFlag, parseUpstreamFlag } from "./config/parse-flags.js";
export { startBridge, type BridgeHandle } from "./server/start-bridge.js";
export { streamLogger, type BridgeLogger } from "./server/bridge-logger.js";
export { detectOnce as detectLocalServers } from "./commands/detect-command.js";
export type { DetectedUpstream, UpstreamModel } from "./upstreams/probe-upstream.js";
export { UPSTREAM_KINDS, type UpstreamKind, type UpstreamTarget } from "./upstreams/upstream-kinds.js";
