import type { Billing } from "@modelfaucet/billing";
import type { SessionAuthenticator } from "@modelfaucet/server-kit";
import type { FeatureCatalog } from "../catalog/feature-catalog.js";
import type { ModelCatalog } from "../catalog/model-catalog.js";
import type { UserRateLimits } from "../limits/user-rate-limits.js";
import type { Reliability } from "../reliability/run-on-routes.js";
import type { RouteSelector } from "../routing/route-candidates.js";

/** What every billed endpoint (chat completions, embeddings, responses) is built from. */
export interface EndpointRouteOptions {
  sessions: SessionAuthenticator;
  features: FeatureCatalog;
  catalog: ModelCatalog;
  /** Chooses the routes (BYOK, developer key, platform pool) a request may take, in policy order. */
  selectRoutes: RouteSelector;
  reliability: Reliability;
  billing: Billing;
  /** How long an upstream call may take before it is aborted (UPSTREAM_TIMEOUT_MS), ms. */
  upstreamTimeoutMs: number;
  /** Per-end-user requests and tokens per minute: each request admitted once, in its planning step. */
  rateLimits: UserRateLimits;
}
