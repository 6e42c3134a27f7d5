import type { z } from "zod";

/**
 * Who may call a route, as the OpenAPI document's security requirement:
 * - `none`: anyone (/health, the OpenAPI document itself);
 * - `session`: an end user's `mf_sess_…` bearer;
 * - `session_or_developer`: either that or a developer's (a lookup of what a session did);
 * - `developer`: a scoped `mf_dev_…` token or DEVELOPER_ADMIN_TOKEN;
 * - `admin`: ADMIN_TOKEN;
 * - `app`: a `public` app's id alone, or a `signed` app's `mf_app_sk_…` bearer;
 * - `stripe_signature`: Stripe's `Stripe-Signature` header;
 * - `console`: the dashboard's `mf_console` session cookie;
 * - `local_ticket`: a Local Bridge's `mf_lt_…` ticket, for its one usage report.
 */
export type RouteAuth =
  | "none"
  | "session"
  | "session_or_developer"
  | "developer"
  | "admin"
  | "app"
  | "stripe_signature"
  | "console"
  | "local_ticket";

/**
 * A route's public contract, declared where the route is registered (Fastify
 * route `config.contract`) and built from the same schemas the handler
 * parses with: the OpenAPI document is generated from these, so it cannot
 * drift from what the route accepts. Schemas are `@modelfaucet/contract`'s.
 */
export interface RouteContract {
  /** What the route does, in one line. */
  summary: string;
  /** What a caller must know beyond the schemas: limits, idempotency, side effects. */
  description?: string;
  auth: RouteAuth;
  /** Path parameters, by name; a wildcard (`*`) route names its rest-of-path parameter here. */
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Media types the body may be sent in besides application/json. */
  bodyTypes?: readonly string[];
  /** The success answer's status; 200 by default. */
  status?: number;
  /** The success answer as JSON. */
  response?: z.ZodType;
  /** The success answer as server-sent events (a stream was asked for): each event's data. */
  eventStream?: z.ZodType;
  /** The success answer as text of this media type (CSV, Prometheus). */
  textType?: string;
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** The route's public contract (see RouteContract); every route declares one. */
    contract?: RouteContract;
  }
}

/** Fastify route options declaring `contract`, merged into `options` (an auth hook, say). */
export function withContract<Options extends object = object>(
  contract: RouteContract,
  options?: Options,
): Options & { config: { contract: RouteContract } } {
  return { ...(options as Options), config: { contract } };
}
