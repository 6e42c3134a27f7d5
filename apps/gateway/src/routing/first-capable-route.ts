import { AppError } from "@modelfaucet/core";
import type { RouteAdapters } from "./credential-providers.js";
import type { RouteCandidate } from "./route-candidates.js";

/**
 * The first candidate, in the feature's route_preference order, whose
 * credential can serve this endpoint (`pick` returns its adapter): a stored
 * Anthropic key has no embeddings API, so an embeddings request skips it like
 * a route without a credential. None: 503 `no_available_route`.
 *
 * Embeddings and responses take one route: unlike chat completions they are
 * not retried or failed over (reliability/run-on-routes.ts).
 */
export async function firstCapableRoute<A>(
  candidates: readonly RouteCandidate[],
  pick: (adapters: RouteAdapters) => A | undefined,
  what: string,
): Promise<{ candidate: RouteCandidate; adapter: A }> {
  for (const candidate of candidates) {
    const adapters = await candidate.adapters();
    const adapter = adapters && pick(adapters);
    if (adapter !== undefined) return { candidate, adapter };
  }
  throw new AppError("no_available_route", `No route this feature allows can serve ${what} for this model.`, {
    status: 503,
  });
}
