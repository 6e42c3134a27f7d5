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

/**
 * Inserts the demo developer, its public app and one feature. Idempotent:
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
    return { inserted };
  });
}
