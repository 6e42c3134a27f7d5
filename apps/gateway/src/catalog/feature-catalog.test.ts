import { createTestDatabase, type TestDatabase } from "@modelfaucet/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planModel } from "../chat/plan-route.js";
import { createFeatureCatalog } from "./feature-catalog.js";
import { createModelCatalog } from "./model-catalog.js";

let database: TestDatabase;

async function insertFeature(featureKey: string, pricing: Record<string, unknown>) {
  await database.db.query(
    `INSERT INTO app_features (app_id, feature_key, display_name, policy, pricing) VALUES ('app_demo', $1, $1, $2, $3)`,
    [
      featureKey,
      JSON.stringify({ route_preference: ["local", "platform_pool"], default_model: "mock-small" }),
      JSON.stringify(pricing),
    ],
  );
}

beforeAll(async () => {
  database = await createTestDatabase();
  await insertFeature("with_fees", {
    mode: "usage_markup",
    markup_percent: 12.5,
    channel_share_bps: 2500,
    byok_gateway_fee_usd: "0.00200000",
    local_fee_usd: "0.01000000",
  });
  await insertFeature("without_fees", { markup_percent: 30, channel_share_bps: 4000 });
  await insertFeature("bad_pricing", { markup_percent: 30, channel_share_bps: 40_000 });
});
afterAll(() => database.db.close());

describe("feature catalog pricing", () => {
  it("reads every fee of the manifest, the local fee included, into the plan's pricing", async () => {
    const features = createFeatureCatalog(database.db);
    const feature = await features.resolve("app_demo", "with_fees", null);
    const plan = await planModel({ model: "auto:with_fees" }, feature, createModelCatalog(database.db));
    expect(plan.pricing).toEqual({
      markupBps: 1250,
      channelShareBps: 2500,
      byokGatewayFeeUnits: 200_000n,
      localFeeUnits: 1_000_000n,
    });
  });

  it("takes fees left out of the manifest as none", async () => {
    const feature = await createFeatureCatalog(database.db).resolve("app_demo", "without_fees", null);
    expect(feature.pricing).toEqual({
      markupBps: 3000,
      channelShareBps: 4000,
      byokGatewayFeeUnits: 0n,
      localFeeUnits: 0n,
    });
  });

  it("refuses to price from a stored pricing the manifest schema rejects", async () => {
    const features = createFeatureCatalog(database.db);
    await expect(features.resolve("app_demo", "bad_pricing", null)).rejects.toThrow(
      /stored pricing of feature app_demo\/bad_pricing is invalid/,
    );
  });
});
