import { z } from "zod";

const integer = (min: number, max: number) =>
  z.coerce
    .number({ error: `expected an integer between ${min} and ${max}` })
    .int({ error: `expected an integer between ${min} and ${max}` })
    .min(min, { error: `expected an integer between ${min} and ${max}` })
    .max(max, { error: `expected an integer between ${min} and ${max}` });

const port = integer(1, 65_535);
/** `0` disables the limiter; otherwise requests per window per client IP and route. */
const maxRequests = integer(0, 10_000_000);
/** rate-limiter-flexible counts whole seconds, so windows are whole seconds too. */
const windowMs = integer(1000, 86_400_000).refine((value) => value % 1000 === 0, {
  error: "must be a whole number of seconds (a multiple of 1000)",
});

const url = (protocols: string[]) =>
  z
    .url({ error: `expected a ${protocols.join(" or ")} URL` })
    .refine((value) => protocols.some((protocol) => value.startsWith(`${protocol}://`)), {
      error: `expected a ${protocols.join(" or ")} URL`,
    });

const originList = z
  .string()
  .transform((value) =>
    value
      .split(",")
      .map((origin) => origin.trim())
      .filter(Boolean),
  )
  .refine((origins) => origins.every((origin) => origin === "*" || /^https?:\/\/[^/\s]+$/.test(origin)), {
    error: 'expected "*" or a comma-separated list of origins such as https://app.example.com',
  });

/**
 * `false` (default): the socket address is the client. `true`: trust every
 * proxy hop. A number: trust that many hops. Anything else: a comma-separated
 * list of proxy addresses / CIDRs, as Fastify's `trustProxy` takes it.
 */
const trustProxy = z.string().transform((value): boolean | number | string => {
  const trimmed = value.trim().toLowerCase();
  if (trimmed === "" || trimmed === "false" || trimmed === "0") return false;
  if (trimmed === "true") return true;
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  return value.trim();
});

/**
 * 32 random bytes as 64 hex characters or base64 — the master key that wraps
 * every stored provider secret.
 */
const encryptionKey = z
  .string()
  .refine((value) => /^[0-9a-fA-F]{64}$/.test(value) || Buffer.from(value, "base64").length === 32, {
    error: "expected 32 bytes as 64 hex characters or base64 (openssl rand -hex 32)",
  });

const secretToken = z.string().min(1);

/** Every environment variable ModelFaucet reads, with its default. */
export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT_API: port.default(3001),
  PORT_GATEWAY: port.default(3002),
  /** Where `pnpm start` serves the dashboard (and proxies its /v1 calls to the API). */
  PORT_DASHBOARD: port.default(5173),
  GATEWAY_PUBLIC_URL: url(["http", "https"]).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),

  DATABASE_URL: url(["postgres", "postgresql"]).optional(),
  DATABASE_POOL_MAX: integer(1, 1000).default(10),
  /** Holds everything a local install keeps: the embedded database (`data/`), its lock, generated secrets. */
  MODELFAUCET_DATA_DIR: z.string().min(1).default("./.modelfaucet"),
  REDIS_URL: url(["redis", "rediss"]).optional(),

  TRUST_PROXY: trustProxy.default(false),
  API_CORS_ORIGINS: originList.optional(),
  GATEWAY_CORS_ORIGINS: originList.optional(),
  API_RATE_LIMIT_MAX_REQUESTS: maxRequests.default(1200),
  API_RATE_LIMIT_WINDOW_MS: windowMs.default(60_000),
  GATEWAY_RATE_LIMIT_MAX_REQUESTS: maxRequests.default(1200),
  GATEWAY_RATE_LIMIT_WINDOW_MS: windowMs.default(60_000),
  API_BODY_LIMIT_BYTES: integer(1024, 100 * 1024 * 1024).default(1024 * 1024),
  /**
   * 8 MiB: room for a base64 photo of up to ~6 MB (ordinary from a phone), while parsing the largest
   * accepted body still blocks the event loop for ~50 ms (JSON.parse runs ~6 ms per MB here). OpenAI's
   * 20 MB images need ~27 MiB: an operator may raise it, up to 100 MiB, knowing each such body stalls
   * the process for its parse.
   */
  GATEWAY_BODY_LIMIT_BYTES: integer(1024, 100 * 1024 * 1024).default(8 * 1024 * 1024),

  ADMIN_TOKEN: secretToken.optional(),
  DEVELOPER_ADMIN_TOKEN: secretToken.optional(),
  /** How long a dashboard sign-in lasts, seconds (never beyond the developer token it was made with). */
  CONSOLE_SESSION_TTL_SECONDS: integer(60, 7 * 86_400).default(8 * 3600),
  SECRET_ENCRYPTION_KEY: encryptionKey.optional(),
  /**
   * The master key being retired during a rotation: records it wrapped still
   * decrypt, and `pnpm secrets:rotate` re-wraps them under SECRET_ENCRYPTION_KEY.
   * Remove it once the rotation has run.
   */
  SECRET_ENCRYPTION_KEY_PREVIOUS: encryptionKey.optional(),
  /**
   * Exact hostnames or IP literals (comma-separated) a stored provider
   * base_url may name although they are private, for self-hosted upstreams;
   * checked and logged at boot. Metadata addresses are never allowed.
   */
  PROVIDER_ALLOW_PRIVATE_HOSTS: z.string().max(16_384).optional(),

  /** Platform pool credentials: each one makes its provider's catalog models routable. */
  OPENAI_API_KEY: secretToken.optional(),
  ANTHROPIC_API_KEY: secretToken.optional(),
  GEMINI_API_KEY: secretToken.optional(),
  /** Stripe secret key (test mode: sk_test_…); without it top-ups answer 503 payments_disabled. */
  STRIPE_SECRET_KEY: secretToken.optional(),
  /** Signing secret of the Stripe webhook endpoint (whsec_…); without it the webhook answers 503. */
  STRIPE_WEBHOOK_SECRET: secretToken.optional(),
  /** Where models of provider "mock" are served; `pnpm start` runs a built-in mock and sets it. */
  MOCK_UPSTREAM_URL: url(["http", "https"]).optional(),
  /** Longest an upstream call may take before it is aborted (the hold is released). */
  UPSTREAM_TIMEOUT_MS: integer(1000, 3_600_000).default(600_000),
  /** Most calls to one route for one request, the first included (retries only on connection errors, 429, 5xx). */
  UPSTREAM_MAX_ATTEMPTS: integer(1, 10).default(3),
  /** Longest upstream Retry-After honoured before giving up on a route, seconds. */
  UPSTREAM_MAX_RETRY_AFTER_SECONDS: integer(0, 600).default(10),
  /** Consecutive failures that open a provider's (or stored key's) circuit breaker. */
  CIRCUIT_FAILURE_THRESHOLD: integer(1, 1000).default(5),
  /** How long an open circuit refuses calls before one trial call, ms. */
  CIRCUIT_COOLDOWN_MS: integer(100, 3_600_000).default(30_000),
  /** Response cache (a feature's policy.cache): the largest answer stored, bytes; larger ones are not cached. */
  RESPONSE_CACHE_MAX_ENTRY_BYTES: integer(1024, 64 * 1024 * 1024).default(1024 * 1024),
  /** Response cache in memory (no REDIS_URL): the most bytes and entries one Gateway keeps; least recently used go. */
  RESPONSE_CACHE_MAX_BYTES: integer(1024, 16 * 1024 * 1024 * 1024).default(64 * 1024 * 1024),
  RESPONSE_CACHE_MAX_ENTRIES: integer(1, 10_000_000).default(10_000),
  /** A hold left open this long (e.g. the Gateway crashed mid-request) is voided by the worker. */
  HOLD_TIMEOUT_SECONDS: integer(1, 86_400).default(900),
  /** Time between two passes of each worker job (hold expiry, balance folding). */
  WORKER_INTERVAL_MS: integer(100, 3_600_000).default(1000),
  SESSION_TOKEN_TTL_SECONDS: integer(60, 7 * 86_400).default(3600),
  /** A local ticket (POST /v1/local/tickets) is for a call made within this time; its fee is held meanwhile. */
  LOCAL_TICKET_TTL_SECONDS: integer(1, 86_400).default(900),
  /** A local ticket's usage report is still accepted this long after it expires; then the worker releases its fee. */
  LOCAL_TICKET_GRACE_SECONDS: integer(0, 7 * 86_400).default(86_400),

  /**
   * OpenTelemetry: the Gateway exports traces over OTLP/HTTP only when one of
   * these is set (`<endpoint>/v1/traces`, or the traces URL as given); the
   * other OTEL_* variables (OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_HEADERS,
   * OTEL_TRACES_SAMPLER, OTEL_BSP_*) are read by the OpenTelemetry SDK itself.
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: url(["http", "https"]).optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url(["http", "https"]).optional(),

  READY_TIMEOUT_MS: integer(50, 60_000).default(1000),
  SHUTDOWN_TIMEOUT_MS: integer(0, 600_000).default(10_000),
});

export type Env = z.output<typeof envSchema>;

/** Variables whose values must never be echoed, not even in a config error. */
export const SECRET_VARIABLES = new Set([
  "ADMIN_TOKEN",
  "DEVELOPER_ADMIN_TOKEN",
  "SECRET_ENCRYPTION_KEY",
  "SECRET_ENCRYPTION_KEY_PREVIOUS",
  "DATABASE_URL",
  "REDIS_URL",
  "OPENAI_API_KEY",
  "ANTHROPIC_API_KEY",
  "GEMINI_API_KEY",
  "STRIPE_SECRET_KEY",
  "STRIPE_WEBHOOK_SECRET",
]);
