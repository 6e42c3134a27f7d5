import { DEMO } from "@modelfaucet/db";
import { createTestDatabase, type TestDatabase } from "@modelfaucet/db/testing";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testApi } from "./helpers/services.js";

/** `PATCH …/features/:featureKey` is a JSON Merge Patch (RFC 7386) of the stored manifest. */

const DEVELOPER_ADMIN_TOKEN = "test-developer-admin-token-0123456789";
const FEATURES = `/v1/developer/apps/${DEMO.appId}/features`;

let database: TestDatabase;
let api: FastifyInstance;

beforeAll(async () => {
  database = await createTestDatabase();
  api = await testApi(database.db, { DEVELOPER_ADMIN_TOKEN });
});
afterAll(async () => {
  await api.close();
  await database.db.close();
});

const manifest = (featureKey: string) => ({
  feature_key: featureKey,
  display_name: "Replies",
  policy: {
    route_preference: ["end_user_byok", "platform_pool"],
    fallback_to_platform: true,
    model_policy: "cheapest_sufficient",
    privacy: "standard",
    default_model: "mock-small",
    max_output_tokens: 1024,
  },
  pricing: { mode: "usage_markup", markup_percent: 30, channel_share_bps: 4000, byok_gateway_fee_usd: "0.10000000" },
});

async function createFeature(featureKey: string) {
  const response = await api.inject({
    method: "POST",
    url: FEATURES,
    headers: { authorization: `Bearer ${DEVELOPER_ADMIN_TOKEN}` },
    payload: manifest(featureKey),
  });
  expect(response.statusCode).toBe(201);
}

const patch = (featureKey: string, body: unknown, contentType = "application/json") =>
  api.inject({
    method: "PATCH",
    url: `${FEATURES}/${featureKey}`,
    headers: { authorization: `Bearer ${DEVELOPER_ADMIN_TOKEN}`, "content-type": contentType },
    payload: JSON.stringify(body),
  });

async function stored(featureKey: string) {
  const response = await api.inject({ url: FEATURES, headers: { authorization: `Bearer ${DEVELOPER_ADMIN_TOKEN}` } });
  const items = response.json<{ items: Array<Record<string, unknown> & { feature_key: string }> }>().items;
  const { display_name, policy, pricing } = items.find((item) => item.feature_key === featureKey)!;
  return { display_name, policy, pricing };
}

describe("PATCH a feature merges", () => {
  it("changes one policy setting and keeps the rest", async () => {
    await createFeature("merge_one");
    const before = await stored("merge_one");
    const response = await patch("merge_one", { policy: { max_output_tokens: 512 } });
    expect(response.statusCode).toBe(200);
    const expected = { ...before, policy: { ...(before.policy as object), max_output_tokens: 512 } };
    expect(response.json()).toMatchObject(expected);
    expect(await stored("merge_one")).toEqual(expected);
  });

  it("changes one pricing field, and the display name alone", async () => {
    await createFeature("merge_pricing");
    expect((await patch("merge_pricing", { pricing: { markup_percent: 45 } })).statusCode).toBe(200);
    expect((await patch("merge_pricing", { display_name: "Better replies" })).statusCode).toBe(200);
    expect(await stored("merge_pricing")).toMatchObject({
      display_name: "Better replies",
      policy: { default_model: "mock-small", max_output_tokens: 1024 },
      pricing: { markup_percent: 45, channel_share_bps: 4000, byok_gateway_fee_usd: "0.10000000" },
    });
  });

  it("replaces arrays whole, and null resets a setting to its default", async () => {
    await createFeature("merge_null");
    const response = await patch("merge_null", {
      policy: { route_preference: ["platform_pool"], max_output_tokens: null },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().policy).toMatchObject({ route_preference: ["platform_pool"], max_output_tokens: 1024 });
  });

  it("accepts RFC 7386's media type, application/merge-patch+json", async () => {
    await createFeature("merge_media");
    const response = await patch(
      "merge_media",
      { policy: { privacy: "redact_pii_before_cloud" } },
      "application/merge-patch+json",
    );
    expect(response.statusCode).toBe(200);
    expect(response.json().policy).toMatchObject({ privacy: "redact_pii_before_cloud", default_model: "mock-small" });
  });

  it("validates the merged manifest whole: a bad or removed required field is a 400 and changes nothing", async () => {
    await createFeature("merge_bad");
    const before = await stored("merge_bad");
    for (const [body, field] of [
      [{ policy: { max_output_tokens: 0 } }, "max_output_tokens"],
      [{ policy: { default_model: null } }, "default_model"],
      [{ pricing: { channel_share_bps: 20_000 } }, "channel_share_bps"],
      [{ display_name: null }, "display_name"],
      [{ policy: null }, "policy"],
      [{ feature_key: "renamed" }, "feature_key"],
      [{ policy: { unknown_setting: true } }, "policy"],
    ] as const) {
      const response = await patch("merge_bad", body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      const { error } = response.json();
      expect(error.code).toBe("invalid_request");
      expect(`${error.param ?? ""} ${error.message}`).toContain(field);
    }
    expect(await stored("merge_bad")).toEqual(before);
  });
});
