export { createServer, type ServerOptions } from "./create-server.js";
export { withContract, type RouteAuth, type RouteContract } from "./openapi/route-contract.js";
export type { OpenApiDocument, RegisteredRoute } from "./openapi/openapi-document.js";
export { loadConfig, ConfigError, type Config } from "./config/load-config.js";
export { createLogger, REDACT_PATHS, type Logger, type LoggerOptions } from "./logger.js";
export { connectRedis, type Redis } from "./redis.js";
export type { CacheStore, CacheStoreLimits } from "./cache/cache-store.js";
export { createCacheStore } from "./cache/create-cache-store.js";
export { RateLimitedError } from "./rate-limits/rate-limited.js";
export {
  WindowLimits,
  type TakenCharge,
  type WindowCharge,
  type WindowOutcome,
  type WindowUsage,
} from "./rate-limits/window-limits.js";
export {
  perMinuteChecks,
  perMinuteStates,
  perMinuteWindows,
  type PerMinuteCheck,
  type PerMinuteRates,
  type PerMinuteState,
  type RateScope,
} from "./rate-limits/per-minute-limits.js";
export { installShutdown, type ShutdownOptions, type ShutdownStep } from "./shutdown.js";
export { assertPortsFree, PortUnavailableError, type PortSetting } from "./assert-ports-free.js";
export { requireStaticToken, bearerToken } from "./auth/static-token.js";
export { CONSOLE_COOKIE, consoleCookie, readCookie } from "./auth/console-cookie.js";
export {
  createConsoleSessionAuth,
  type ConsoleGrant,
  type ConsoleSessionAuth,
  type ConsoleSessionAuthOptions,
  type ConsoleSessionContext,
  type ConsoleSessionCredential,
  type ConsoleSessionLookup,
} from "./auth/console-session-auth.js";
export { createServiceMetrics, type ServiceMetrics } from "./metrics.js";
export {
  otlpTracesUrl,
  startTracing,
  type SpanProcessor,
  type Tracing,
  type TracingOptions,
} from "./telemetry/start-tracing.js";
export { type RequestTracingOptions } from "./telemetry/request-tracing-plugin.js";
export { activeRequestSpan, errorType, inChildSpan, markSpanFailed } from "./telemetry/request-span.js";
export { serviceCounter, type ServiceCounter, type ServiceCounterOptions } from "./service-counter.js";
export { recordRequest, routeLabel, UNMATCHED_ROUTE } from "./plugins/metrics.js";
export { sendError } from "./plugins/error-envelope.js";
export { REQUEST_ID_HEADER } from "./plugins/request-id.js";
export { openRuntime, type Runtime } from "./runtime.js";
export { runServices, type ServiceSpec, type RunningServices, type RunOptions } from "./run-services.js";
export { loadConfigOrExit } from "./config/load-config-or-exit.js";
export { masterKey } from "./config/master-key.js";
export {
  createSessionAuthenticator,
  type SessionAuthenticator,
  type SessionContext,
  type SessionAuthOptions,
} from "./auth/session-auth.js";
export {
  INVALIDATION_RETENTION_MS,
  SessionInvalidations,
  sessionInvalidationsOf,
  type SessionInvalidation,
} from "./auth/session-invalidations.js";
export { connectInvalidationChannel } from "./auth/connect-invalidation-channel.js";
export { connectRedisInvalidationChannel } from "./auth/redis-invalidation-channel.js";
export { connectPostgresInvalidationChannel } from "./auth/postgres-invalidation-channel.js";
export type { InvalidationChannel } from "./auth/invalidation-message.js";
export { secretKeyringFromConfig } from "./provider-keys/secret-keyring-from-config.js";
export {
  actingDeveloperId,
  ANY_DEVELOPER,
  createDeveloperAuthenticator,
  developerOf,
  tenantOf,
  type DeveloperAuthenticator,
  type DeveloperAuthOptions,
  type DeveloperPrincipal,
  type DeveloperTokenCredential,
  type DeveloperTokenLookup,
} from "./auth/developer-auth.js";
