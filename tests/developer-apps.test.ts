import { createTestDatabase, type TestDatabase } from "@modelfaucet/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEVELOPER_ADMIN_TOKEN, startRevenueStack, type RevenueStack } from "./helpers/revenue-stack.js";

let database: TestDatabase;
let stack: RevenueStack;
beforeAll(async () => {
  database = await createTestDatabase();
  stack = await startRevenueStack(database.db);
});
afterAll(async () => {
  await stack.close();
  await database.db.close();
});

const developer = (method: string, path: string, body?: unknown) =>
  fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${DEVELOPER_ADMIN_TOKEN}`,
      ...(body ? { "content-type": "application/json" } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });

const manifest = {
  feature_key: "summaries",
  display_name: "Summaries",
  policy: { route_preference: ["platform_pool"], default_model: "mock-small", max_output_tokens: 256 },
  pricing: { mode: "usage_markup", markup_percent: 50, channel_share_bps: 5000, byok_gateway_fee_usd: "0.00000000" },
};

describe("a developer's signed app, end to end", () => {
  it("creates an app, a feature and a secret key; only the key mints sessions; usage is billed to the app", async () => {
    const created = await stack.admin("POST", "/v1/admin/developers", {
      name: "Dana",
      email: `dana-${Date.now()}@example.com`,
    });
    const { id: developerId } = (await created.json()) as { id: string };

    const appResponse = await developer("POST", "/v1/developer/apps", {
      developer_id: developerId,
      name: "Dana's CRM",
    });
    expect(appResponse.status).toBe(201);
    const app = (await appResponse.json()) as { public_app_id: string; session_mode: string };
    expect(app.session_mode).toBe("signed");

    expect((await developer("POST", `/v1/developer/apps/${app.public_app_id}/features`, manifest)).status).toBe(201);
    const bad = await developer("POST", `/v1/developer/apps/${app.public_app_id}/features`, {
      ...manifest,
      feature_key: "broken",
      pricing: { ...manifest.pricing, channel_share_bps: 20000 },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain("channel_share_bps");

    const keyResponse = await developer("POST", `/v1/developer/apps/${app.public_app_id}/secret-keys`);
    const { secret_key: secretKey } = (await keyResponse.json()) as { secret_key: string };
    expect(secretKey).toMatch(/^mf_app_sk_/);

    const mint = (headers: Record<string, string>) =>
      fetch(`${stack.apiUrl}/v1/sessions`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({
          public_app_id: app.public_app_id,
          external_user_id: "customer-7",
          feature_key: "summaries",
        }),
      });
    expect((await mint({})).status).toBe(403);
    const minted = await mint({ authorization: `Bearer ${secretKey}` });
    expect(minted.status).toBe(200);
    const { session_token: token } = (await minted.json()) as { session_token: string };

    const { wallet_id } = (await (
      await fetch(`${stack.apiUrl}/v1/user/wallet`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { wallet_id: string };
    await stack.admin("POST", `/v1/admin/wallets/${wallet_id}/credit-test-balance`, { amount_usd: "2.00" });

    const client = stack.client(token);
    const completion = await client.chat.completions.create({
      model: "auto:summaries",
      messages: [{ role: "user", content: "Summarize: the sky is blue." }],
    });
    const block = (completion as unknown as { modelfaucet: { feature_key: string; model: string; price_usd: string } })
      .modelfaucet;
    expect(block).toMatchObject({ feature_key: "summaries", model: "mock-small" });

    const revenue = (await (await developer("GET", `/v1/developers/${developerId}/revenue`)).json()) as {
      requests: number;
      retail_usd: string;
      earned_usd: string;
    };
    expect(revenue.requests).toBe(1);
    expect(revenue.retail_usd).toBe(block.price_usd);
    expect(BigInt(revenue.earned_usd.replace(".", ""))).toBeGreaterThan(0n);
  });

  it("refuses the developer routes without the developer admin token", async () => {
    const response = await fetch(`${stack.apiUrl}/v1/developer/apps`);
    expect(response.status).toBe(401);
  });
});
