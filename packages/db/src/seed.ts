import { pricePerMillionToUnits } from "@modelfaucet/core";
import type { Database } from "./database.js";

/** The demo tenant `pnpm start` serves out of the box. */
export const DEMO = {
  developerId: "dev_demo",
  appId: "app_demo",
  featureKey: "chat",
} as const;

const DEMO_POLICY = {
  route_preference: ["end_user_byok", "developer_key", "platform_pool"],
  fallback_to_platform: true,
  model_policy: "cheapest_sufficient",
  privacy: "standard",
  default_model: "mock-small",
  max_output_tokens: 1024,
};

const DEMO_PRICING = {
  mode: "usage_markup",
  markup_percent: 30,
  channel_share_bps: 4000,
  byok_gateway_fee_usd: "0.00000000",
};

/** Capabilities of a chat model whose adapter carries tools, JSON schema output and images. */
const FULL_CHAT = ["tools", "json_schema", "vision"];

/**
 * Catalog seed: USD per 1M tokens (input, cached input, output), as published
 * by each provider, and capabilities (migration 0018): our Anthropic adapter
 * refuses JSON schema output, so Claude models have no `json_schema`.
 */
const MODELS: Array<
  [
    id: string,
    provider: string,
    prices: [string, string, string],
    context: number,
    maxOutput: number,
    capabilities: string[],
  ]
> = [
  ["mock-small", "mock", ["0.10", "0.05", "0.40"], 128_000, 16_384, FULL_CHAT],
  ["mock-large", "mock", ["2.00", "0.50", "8.00"], 200_000, 32_768, FULL_CHAT],
  ["gpt-4o-mini", "openai", ["0.15", "0.075", "0.60"], 128_000, 16_384, FULL_CHAT],
  ["gpt-4o", "openai", ["2.50", "1.25", "10.00"], 128_000, 16_384, FULL_CHAT],
  ["claude-3-5-haiku-20241022", "anthropic", ["0.80", "0.08", "4.00"], 200_000, 8_192, ["tools", "vision"]],
  ["claude-sonnet-4-20250514", "anthropic", ["3.00", "0.30", "15.00"], 200_000, 64_000, ["tools", "vision"]],
  ["gemini-2.0-flash", "google", ["0.10", "0.025", "0.40"], 1_048_576, 8_192, FULL_CHAT],
  // Embedding models: input-priced only; max output 1 because the column must be positive.
  ["mock-embed", "mock", ["0.02", "0.02", "0"], 8_192, 1, ["embeddings"]],
  ["text-embedding-3-small", "openai", ["0.02", "0.02", "0"], 8_192, 1, ["embeddings"]],
];
const CATALOG_EFFECTIVE_FROM = "2025-01-01T00:00:00Z";

/**
 * Inserts the demo developer, its public app, one feature and the model catalog. Idempotent:
 * every row has a fixed id and `ON CONFLICT DO NOTHING`, so a second run —
 * or a run after the operator edited the demo rows — changes nothing.
 */
export async function seed(db: Database): Promise<{ inserted: number }> {
  return db.transaction(async (tx) => {
    let inserted = 0;
    inserted += (
      await tx.query(
        `INSERT INTO developers (id, name, email) VALUES ($1, 'Demo Developer', 'demo@modelfaucet.local')
         ON CONFLICT DO NOTHING`,
        [DEMO.developerId],
      )
    ).rowCount;
    inserted += (
      await tx.query(
        `INSERT INTO apps (id, developer_id, name, session_mode) VALUES ($1, $2, 'Demo app', 'public')
         ON CONFLICT DO NOTHING`,
        [DEMO.appId, DEMO.developerId],
      )
    ).rowCount;
    inserted += (
      await tx.query(
        `INSERT INTO app_features (app_id, feature_key, display_name, policy, pricing)
         VALUES ($1, $2, 'Chat', $3, $4)
         ON CONFLICT DO NOTHING`,
        [DEMO.appId, DEMO.featureKey, JSON.stringify(DEMO_POLICY), JSON.stringify(DEMO_PRICING)],
      )
    ).rowCount;
    for (const [id, provider, [input, cached, output], context, maxOutput, capabilities] of MODELS) {
      inserted += (
        await tx.query(
          `INSERT INTO models (id, provider, upstream_model, input_price_per_mtok, cached_input_price_per_mtok,
                               output_price_per_mtok, context_window, max_output_tokens, capabilities, effective_from)
           VALUES ($1, $2, $1, $3, $4, $5, $6, $7, $8, $9)
           ON CONFLICT DO NOTHING`,
          [
            id,
            provider,
            ...[input, cached, output].map((usd) => pricePerMillionToUnits(usd).toString()),
            context,
            maxOutput,
            capabilities,
            CATALOG_EFFECTIVE_FROM,
          ],
        )
      ).rowCount;
    }
    return { inserted };
  });
}
