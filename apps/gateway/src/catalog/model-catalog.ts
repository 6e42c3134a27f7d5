import type { Queryable } from "@modelfaucet/db";
import { listCurrentModels, type CurrentModel } from "@modelfaucet/store";
import { ttlCache } from "./ttl-cache.js";

/** A catalog model at the price in effect now. Prices: units of 1e-8 USD per 1M tokens. */
export type CatalogModel = CurrentModel;

/**
 * The active catalog, re-read at most every `ttlMs`: a price change reaches
 * every Gateway within that time without a query per request.
 */
export function createModelCatalog(db: Queryable, ttlMs = 5000) {
  const load = ttlCache(ttlMs, 1, async () => new Map((await listCurrentModels(db)).map((model) => [model.id, model])));
  return {
    all: async () => [...(await load("all")).values()],
    find: async (id: string) => (await load("all")).get(id),
  };
}

export type ModelCatalog = ReturnType<typeof createModelCatalog>;
