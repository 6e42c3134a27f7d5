import { createTestDatabase, type TestDatabase } from "@modelfaucet/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRevenueStack, type RevenueStack } from "./helpers/revenue-stack.js";

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

/** The Gateway's catalog cache (apps/gateway/src/catalog/model-catalog.ts). */
const GATEWAY_CATALOG_TTL_MS = 5000;

interface ModelWire {
  id: string;
  provider: string;
  status: string;
  state: string;
  input_usd_per_mtok: string;
  cached_input_usd_per_mtok: string;
  output_usd_per_mtok: string;
  context_window: number;
  effective_from: string;
}

async function admin(method: string, path: string, body?: unknown) {
  const response = await stack.admin(method, path, body);
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown> & { error?: { code: string; message: string } },
  };
}

async function current(id: string): Promise<ModelWire | undefined> {
  const { body } = await admin("GET", "/v1/admin/models?state=current");
  return (body.items as ModelWire[]).find((model) => model.id === id);
}

async function gatewayModels(token: string): Promise<string[]> {
  const response = await fetch(`${stack.gatewayUrl}/v1/models`, { headers: { authorization: `Bearer ${token}` } });
  return ((await response.json()) as { data: Array<{ id: string }> }).data.map((model) => model.id);
}

describe("admin model catalog", () => {
  it("lists the catalog rows with their state", async () => {
    expect(await current("mock-small")).toMatchObject({
      provider: "mock",
      status: "active",
      state: "current",
      input_usd_per_mtok: "0.10000000",
      output_usd_per_mtok: "0.40000000",
    });
  });

  it("a new model and a retirement reach the Gateway within its cache TTL", async () => {
    const { token } = await stack.user("catalog-1");
    expect(await gatewayModels(token)).toContain("mock-large"); // fills the Gateway's cache

    const created = await admin("POST", "/v1/admin/models", {
      id: "mock-tiny",
      provider: "mock",
      upstream_model: "mock-small",
      input_usd_per_mtok: "0.01",
      output_usd_per_mtok: "0.02",
      context_window: 8192,
      max_output_tokens: 1024,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: "mock-tiny", status: "active", cached_input_usd_per_mtok: "0.01000000" });
    const retired = await admin("DELETE", "/v1/admin/models/mock-large");
    expect(retired.status).toBe(200);
    expect(retired.body).toMatchObject({ id: "mock-large", status: "retired", changed: true });
    expect(await current("mock-large")).toMatchObject({ status: "retired", input_usd_per_mtok: "2.00000000" });
    expect((await admin("DELETE", "/v1/admin/models/mock-large")).body).toMatchObject({ changed: false });

    const started = Date.now();
    let listed = await gatewayModels(token);
    while (listed.includes("mock-large") && Date.now() - started < GATEWAY_CATALOG_TTL_MS + 1500) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      listed = await gatewayModels(token);
    }
    expect(listed).not.toContain("mock-large");
    expect(listed).toContain("mock-tiny");
    const refused = await fetch(`${stack.gatewayUrl}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "mock-large", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(refused.status).toBe(400);
  });

  it("a future price leaves the current one alone; a new price never re-rates old usage", async () => {
    const { token } = await stack.user("catalog-2", "1.00");
    const completion = await fetch(`${stack.gatewayUrl}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "mock-small", messages: [{ role: "user", content: "hi" }], max_tokens: 16 }),
    });
    expect(completion.status).toBe(200);
    const requestId = completion.headers.get("x-request-id")!;
    const usage = async () =>
      (
        await database.db.query<{ retail_units: string; cost_units: string }>(
          "SELECT retail_units::text, cost_units::text FROM usage_events WHERE request_id = $1",
          [requestId],
        )
      ).rows;
    const before = await usage();
    expect(before).toHaveLength(1);

    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    const scheduled = await admin("POST", "/v1/admin/models", {
      id: "mock-small",
      input_usd_per_mtok: "5.00",
      effective_from: tomorrow,
    });
    expect(scheduled.status).toBe(201);
    // Fields left out are the model's as in effect then.
    expect(scheduled.body).toMatchObject({
      provider: "mock",
      output_usd_per_mtok: "0.40000000",
      context_window: 128_000,
    });
    expect(await current("mock-small")).toMatchObject({ input_usd_per_mtok: "0.10000000" });
    const { body } = await admin("GET", "/v1/admin/models?state=scheduled");
    expect(body.items).toEqual([expect.objectContaining({ id: "mock-small", input_usd_per_mtok: "5.00000000" })]);

    const now = await admin("POST", "/v1/admin/models", {
      id: "mock-small",
      input_usd_per_mtok: "0.20",
      output_usd_per_mtok: "0.80",
    });
    expect(now.status).toBe(201);
    expect(await current("mock-small")).toMatchObject({
      input_usd_per_mtok: "0.20000000",
      output_usd_per_mtok: "0.80000000",
    });
    expect(await usage()).toEqual(before);

    const { rows } = await database.db.query<{ action: string; actor_type: string; request_id: string | null }>(
      "SELECT action, actor_type, request_id FROM audit_logs WHERE resource_type = 'model' ORDER BY id",
    );
    expect(rows.map((row) => row.action)).toEqual([
      "model.create",
      "model.retire",
      "model.price_set",
      "model.price_set",
    ]);
    expect(rows.every((row) => row.actor_type === "admin" && row.request_id)).toBe(true);
  });

  it("refuses past prices, incomplete new models, bad prices, duplicates and unknown ids", async () => {
    const past = await admin("POST", "/v1/admin/models", {
      id: "mock-small",
      input_usd_per_mtok: "0.01",
      effective_from: "2020-01-01T00:00:00Z",
    });
    expect(past.status).toBe(400);
    expect(past.body.error?.message).toContain("effective_from");
    const incomplete = await admin("POST", "/v1/admin/models", { id: "brand-new", input_usd_per_mtok: "1" });
    expect(incomplete.status).toBe(400);
    expect(incomplete.body.error?.message).toContain("provider");
    const badPrice = await admin("POST", "/v1/admin/models", { id: "mock-small", output_usd_per_mtok: "2,50" });
    expect(badPrice.status).toBe(400);
    expect(badPrice.body.error?.message).toContain("output_usd_per_mtok");
    const negative = await admin("POST", "/v1/admin/models", { id: "mock-small", output_usd_per_mtok: "-1" });
    expect(negative.status).toBe(400);

    const at = new Date(Date.now() + 3_600_000).toISOString();
    expect((await admin("POST", "/v1/admin/models", { id: "mock-embed", effective_from: at })).status).toBe(201);
    const duplicate = await admin("POST", "/v1/admin/models", { id: "mock-embed", effective_from: at });
    expect(duplicate.status).toBe(409);

    expect((await admin("DELETE", "/v1/admin/models/no-such-model")).status).toBe(404);
    const anonymous = await fetch(`${stack.apiUrl}/v1/admin/models`);
    expect(anonymous.status).toBe(401);
  });
});
