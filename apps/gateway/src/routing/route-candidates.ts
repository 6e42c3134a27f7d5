import { AppError } from "@modelfaucet/core";
import type { Queryable } from "@modelfaucet/db";
import { accountIds } from "@modelfaucet/ledger";
import type { ChatProvider, EmbeddingProvider, ResponsesProvider } from "@modelfaucet/providers";
import type { SessionContext } from "@modelfaucet/server-kit";
import { listProviderKeys, type ProviderKeyOwner, type ProviderKeyRecord } from "@modelfaucet/store";
import type { Feature } from "../catalog/feature-catalog.js";
import { ttlCache } from "../catalog/ttl-cache.js";
import type { CatalogModel } from "../catalog/model-catalog.js";
import type { BreakerSubject } from "../reliability/circuit-breakers.js";
import type { CredentialProviders, RouteAdapters } from "./credential-providers.js";
import { ROUTE_HEADER, type RouteChoice } from "./requested-route.js";

/** A cloud route mode a candidate can have (`local` is never called from the cloud). */
export type CloudRouteMode = "platform" | "developer_key" | "byok";

/** One way to serve a request, in the feature's preference order. */
export interface RouteCandidate {
  routeMode: CloudRouteMode;
  /** Its circuit breaker; also what /health/providers and metrics name it by. */
  subject: BreakerSubject;
  /** The stored key's id (`upk_…`, `dpk_…`); undefined on the platform pool. Not a secret. */
  credentialId: string | undefined;
  /**
   * The ledger account enforcing the key's budget (`developer:<key id>:budget`)
   * when it is a developer key with a budget; undefined otherwise (BYOK keys
   * cost the platform nothing; the platform pool has no budget).
   */
  budgetAccountId: string | undefined;
  /** Whether a provider failure here may move on to the next candidate (key's or feature's fallback_to_platform). */
  mayFallBack: boolean;
  /** Every adapter the route has (chat, embeddings, native responses); undefined when the key was revoked since. */
  adapters(): Promise<RouteAdapters | undefined>;
}

export interface RouteSelectorDeps {
  db: Queryable;
  /** The platform pool, by catalog provider name. */
  platform: Map<string, ChatProvider>;
  /** The platform's embedding upstreams, by catalog provider name. */
  platformEmbeddings?: Map<string, EmbeddingProvider> | undefined;
  /** The platform's native Responses upstreams, by catalog provider name. */
  platformResponses?: Map<string, ResponsesProvider> | undefined;
  credentials: CredentialProviders;
  /**
   * How long an owner's list of active keys is reused, ms (default 2000, the
   * session cache's horizon): a new or revoked key takes effect within it,
   * and a request costs no key-list queries while it lasts.
   */
  keyListTtlMs?: number | undefined;
}

/**
 * Whether a stored key may serve a catalog model: its models_allowed permits
 * it, and it is a key for the model's provider — or an `openai_compatible`
 * key, which serves any catalog model its owner allowed (the owner chose that
 * endpoint; models_allowed is how they narrow it).
 */
export function keyServesModel(key: ProviderKeyRecord, model: CatalogModel): boolean {
  if (key.modelsAllowed !== null && !key.modelsAllowed.includes(model.id)) return false;
  return key.provider === "openai_compatible" || key.provider === model.provider;
}

const LOCAL_ONLY_HINT =
  "runs only on the user's own machine: send its requests to the Local Bridge " +
  "(http://127.0.0.1:8787/v1/chat/completions). The cloud never calls local models.";

/** The `route_preference` entry that serves each route mode. */
const PREFERENCE_OF_MODE = {
  platform: "platform_pool",
  byok: "end_user_byok",
  developer_key: "developer_key",
  local: "local",
} as const;

/**
 * The preferences a request may use: the feature's, or only the one of the
 * mode it chose. A mode the policy does not list is 409, never a switch to
 * another route; `local` is 503 — the cloud never serves it.
 */
function preferencesFor(feature: Feature, route: RouteChoice): Feature["policy"]["route_preference"] {
  const preferences = feature.policy.route_preference;
  if (route === "auto") return preferences;
  const preference = PREFERENCE_OF_MODE[route];
  if (!preferences.includes(preference)) {
    throw new AppError(
      "no_available_route",
      `Feature "${feature.featureKey}" does not allow route mode "${route}" (${ROUTE_HEADER}); ` +
        `its route_preference is ${preferences.join(", ")}.`,
      { status: 409 },
    );
  }
  if (route === "local") throw new AppError("local_bridge_unavailable", `Route mode "local" ${LOCAL_ONLY_HINT}`);
  return [preference];
}

/**
 * The routes a request may take, in the feature's `route_preference` order
 * (only the mode it chose with x-modelfaucet-route, see preferencesFor),
 * skipping routes without a usable credential:
 *
 * - `local`: skipped. The cloud never serves local — the SDK sends a local
 *   call to the Local Bridge on loopback itself — so a request that reached
 *   the Gateway is one for the cloud routes the policy allows.
 * - `end_user_byok`: the session user's active keys that serve the model (priority order);
 * - `developer_key`: the app developer's active keys that serve the model;
 * - `platform_pool`: the platform's credential for the model's provider.
 *
 * None left: 503 `local_bridge_unavailable` with a hint when the policy names
 * no cloud route (the manifest allows no empty preference, so `local` is its
 * only route); else 503 `no_available_route`, no credential for this model
 * (a key or a platform credential would fix it).
 */
export function createRouteSelector(deps: RouteSelectorDeps) {
  // Keyed by the owner itself (its JSON): every field of it is part of the lookup.
  const cachedKeys = ttlCache(deps.keyListTtlMs ?? 2000, 100_000, (ownerJson: string) =>
    listProviderKeys(deps.db, JSON.parse(ownerJson) as ProviderKeyOwner),
  );
  const keysOf = (owner: ProviderKeyOwner): Promise<ProviderKeyRecord[]> => cachedKeys(JSON.stringify(owner));

  function credentialCandidates(
    owner: ProviderKeyOwner,
    routeMode: "byok" | "developer_key",
    keys: ProviderKeyRecord[],
    model: CatalogModel,
    featureFallback: boolean,
  ): RouteCandidate[] {
    return keys
      .filter((key) => keyServesModel(key, model))
      .map((key) => ({
        routeMode,
        subject: { key: key.id, provider: key.provider, routeMode },
        credentialId: key.id,
        budgetAccountId:
          routeMode === "developer_key" && key.budgetLimitUnits !== null ? accountIds.keyBudget(key.id) : undefined,
        mayFallBack: featureFallback || key.fallbackToPlatform,
        adapters: () => deps.credentials.adapters(owner, key.id),
      }));
  }

  return async function selectRoutes(
    session: SessionContext,
    feature: Feature,
    model: CatalogModel,
    route: RouteChoice = "auto",
  ): Promise<RouteCandidate[]> {
    const featureFallback = feature.policy.fallback_to_platform === true;
    const candidates: RouteCandidate[] = [];
    let cloudRouteNamed = false;
    for (const preference of new Set(preferencesFor(feature, route))) {
      switch (preference) {
        case "local":
          break;
        case "end_user_byok": {
          cloudRouteNamed = true;
          const owner: ProviderKeyOwner = {
            kind: "end_user",
            endUserId: session.endUserId,
            appId: session.appId,
            developerId: session.developerId,
          };
          candidates.push(...credentialCandidates(owner, "byok", await keysOf(owner), model, featureFallback));
          break;
        }
        case "developer_key": {
          cloudRouteNamed = true;
          const owner: ProviderKeyOwner = { kind: "developer", developerId: session.developerId };
          const keys = await keysOf(owner);
          candidates.push(...credentialCandidates(owner, "developer_key", keys, model, featureFallback));
          break;
        }
        case "platform_pool": {
          cloudRouteNamed = true;
          const provider = deps.platform.get(model.provider);
          if (provider) {
            candidates.push({
              routeMode: "platform",
              subject: { key: `platform:${model.provider}`, provider: model.provider, routeMode: "platform" },
              credentialId: undefined,
              budgetAccountId: undefined,
              mayFallBack: featureFallback,
              adapters: async () => ({
                chat: provider,
                embeddings: deps.platformEmbeddings?.get(model.provider),
                responses: deps.platformResponses?.get(model.provider),
              }),
            });
          }
          break;
        }
      }
    }
    if (candidates.length > 0) return candidates;
    if (!cloudRouteNamed) {
      throw new AppError("local_bridge_unavailable", `Feature "${feature.featureKey}" ${LOCAL_ONLY_HINT}`);
    }
    throw new AppError(
      "no_available_route",
      `No credential can serve model "${model.id}" on the routes feature "${feature.featureKey}" allows.`,
      { status: 503 },
    );
  };
}

export type RouteSelector = ReturnType<typeof createRouteSelector>;
