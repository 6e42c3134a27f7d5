import { isModelCapability, type ModelCapability } from "@modelfaucet/core";
import type { Queryable } from "@modelfaucet/db";

/** A catalog model at the price in effect now. Prices: units of 1e-8 USD per 1M tokens. */
export interface CurrentModel {
  id: string;
  provider: string;
  upstreamModel: string;
  inputUnitsPerMTok: bigint;
  cachedInputUnitsPerMTok: bigint;
  outputUnitsPerMTok: bigint;
  contextWindow: number;
  maxOutputTokens: number;
  /** What it can do beyond plain chat (`embeddings`: an embedding model); see MODEL_CAPABILITIES. */
  capabilities: ModelCapability[];
  effectiveFrom: Date;
}

interface ModelRow {
  id: string;
  provider: string;
  upstream_model: string;
  input_price_per_mtok: string;
  cached_input_price_per_mtok: string;
  output_price_per_mtok: string;
  context_window: number;
  max_output_tokens: number;
  capabilities: string[];
  effective_from: Date;
}

const CURRENT = `
  SELECT DISTINCT ON (id) id, provider, upstream_model, input_price_per_mtok, cached_input_price_per_mtok,
         output_price_per_mtok, context_window, max_output_tokens, capabilities, effective_from, status
  FROM models WHERE effective_from <= now()
  ORDER BY id, effective_from DESC`;

const toModel = (row: ModelRow): CurrentModel => ({
  id: row.id,
  provider: row.provider,
  upstreamModel: row.upstream_model,
  inputUnitsPerMTok: BigInt(row.input_price_per_mtok),
  cachedInputUnitsPerMTok: BigInt(row.cached_input_price_per_mtok),
  outputUnitsPerMTok: BigInt(row.output_price_per_mtok),
  contextWindow: row.context_window,
  maxOutputTokens: row.max_output_tokens,
  // The column's CHECK admits only known capabilities; the filter narrows the type.
  capabilities: row.capabilities.filter(isModelCapability),
  effectiveFrom: row.effective_from,
});

/**
 * Every model whose row in effect now is active (a retired model's latest
 * row is `retired`), at that row's price. The whole catalog in one query:
 * the Gateway caches it for a few seconds rather than query per request.
 */
export async function listCurrentModels(q: Queryable): Promise<CurrentModel[]> {
  const { rows } = await q.query<ModelRow & { status: string }>(`SELECT * FROM (${CURRENT}) m WHERE status = 'active'`);
  return rows.map(toModel);
}
