import { buildApi } from "@modelfaucet/api";
import { createTestDatabase, type TestDatabase } from "@modelfaucet/db/testing";
import { accountIds, getBalance, reconcile } from "@modelfaucet/ledger";
import { captureLogger, testConfig } from "@modelfaucet/server-kit/testing";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signTestEvent } from "@modelfaucet/api/testing";
import { fakeStripeClient, startFakeStripe, type FakeStripe } from "./helpers/fake-stripe.js";
import { parsePrometheusText } from "./helpers/prometheus-text.js";
import { ADMIN_TOKEN } from "./helpers/services.js";

/**
 * The webhook credits only what checkout creation would have accepted (USD,
 * 1–10,000 USD), alerts on a paid session of ours it refuses, and accepts a
 * signature only within 300 s of now — ahead as well as behind.
 */

const WEBHOOK_SECRET = "whsec_test_bounds_0123456789";
const USD = 100_000_000n;

let database: TestDatabase;
let api: FastifyInstance;
let fake: FakeStripe;
let logLines: string[];

beforeAll(async () => {
  database = await createTestDatabase();
  fake = await startFakeStripe();
  const captured = captureLogger("info");
  logLines = captured.lines;
  api = await buildApi({
    config: testConfig({ ADMIN_TOKEN, STRIPE_SECRET_KEY: "sk_test_fake", STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET }),
    db: database.db,
    logger: captured.logger,
    stripe: fakeStripeClient(fake),
  });
});
afterAll(async () => {
  await api.close();
  await new Promise((resolve) => fake.server.close(resolve));
  await database.db.close();
});

async function newWallet(externalUserId: string): Promise<{ token: string; walletId: string }> {
  const minted = await api.inject({
    method: "POST",
    url: "/v1/sessions",
    payload: { public_app_id: "app_demo", external_user_id: externalUserId },
  });
  const token = minted.json<{ session_token: string }>().session_token;
  const wallet = await api.inject({ url: "/v1/user/wallet", headers: { authorization: `Bearer ${token}` } });
  return { token, walletId: wallet.json<{ wallet_id: string }>().wallet_id };
}

let counter = 0;
const completed = (object: Record<string, unknown>) =>
  JSON.stringify({
    id: `evt_bounds_${++counter}`,
    object: "event",
    type: "checkout.session.completed",
    livemode: false,
    created: 1_790_000_000,
    data: { object },
  });

/** A paid session carrying our wallet id, as one made in the Stripe dashboard would. */
const paidSession = (walletId: string, cents: number, extra: Record<string, unknown> = {}) => ({
  id: `cs_test_bounds_${++counter}`,
  object: "checkout.session",
  payment_status: "paid",
  amount_total: cents,
  currency: "usd",
  metadata: { end_user_id: walletId },
  payment_intent: `pi_bounds_${counter}`,
  ...extra,
});

const nowSeconds = () => Math.floor(Date.now() / 1000);

function deliver(payload: string, signature = signTestEvent(payload, WEBHOOK_SECRET)) {
  return api.inject({
    method: "POST",
    url: "/v1/stripe/webhook",
    headers: { "content-type": "application/json", "stripe-signature": signature },
    payload,
  });
}

const walletUnits = async (walletId: string) =>
  (await getBalance(database.db, accountIds.user(walletId)))?.balance ?? 0n;

async function rejectedCount(reason: string): Promise<number> {
  const response = await api.inject({ url: "/metrics" });
  const sample = parsePrometheusText(response.body).find(
    (s) => s.name === "modelfaucet_stripe_rejected_events_total" && s.labels.reason === reason,
  );
  return sample?.value ?? 0;
}

async function storedOutcome(eventId: string) {
  const { rows } = await database.db.query<{ outcome: string; details: Record<string, unknown> }>(
    "SELECT outcome, details FROM stripe_events WHERE id = $1",
    [eventId],
  );
  return rows[0];
}

const eventIdOf = (payload: string) => (JSON.parse(payload) as { id: string }).id;

describe("webhook crediting keeps to the top-up limits", () => {
  it("refuses to credit an adopted session of 1e15 cents: 200, recorded, alerted once, nothing moved", async () => {
    const { walletId } = await newWallet("bounds-huge");
    const before = await rejectedCount("amount_out_of_bounds");
    const payload = completed(paidSession(walletId, 1e15));
    const response = await deliver(payload);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ outcome: "rejected_amount", duplicate: false });
    expect(await walletUnits(walletId)).toBe(0n);
    expect(await storedOutcome(eventIdOf(payload))).toEqual({
      outcome: "rejected_amount",
      details: { amount_usd: "10000000000000.00000000", min_usd: "1.00000000", max_usd: "10000.00000000" },
    });
    const { rows } = await database.db.query("SELECT 1 FROM top_ups WHERE end_user_id = $1", [walletId]);
    expect(rows).toHaveLength(0);
    expect(await rejectedCount("amount_out_of_bounds")).toBe(before + 1);
    const alert = logLines.map((line) => JSON.parse(line)).find((line) => line.stripe_event_id === eventIdOf(payload));
    expect(alert).toMatchObject({ level: 50, outcome: "rejected_amount" });

    // A redelivery changes nothing and does not alert again.
    expect((await deliver(payload)).json()).toMatchObject({ outcome: "rejected_amount", duplicate: true });
    expect(await rejectedCount("amount_out_of_bounds")).toBe(before + 1);
    expect((await reconcile(database.db)).ok).toBe(true);
  });

  it("refuses below the minimum, credits exactly the minimum and the maximum", async () => {
    const { walletId } = await newWallet("bounds-edges");
    expect((await deliver(completed(paidSession(walletId, 99)))).json().outcome).toBe("rejected_amount");
    expect((await deliver(completed(paidSession(walletId, 100)))).json().outcome).toBe("credited");
    expect((await deliver(completed(paidSession(walletId, 1_000_000)))).json().outcome).toBe("credited");
    expect((await deliver(completed(paidSession(walletId, 1_000_001)))).json().outcome).toBe("rejected_amount");
    expect(await walletUnits(walletId)).toBe(10_001n * USD);
  });

  it("refuses a known top-up Stripe reports paid beyond the limits, and audits it", async () => {
    const { token, walletId } = await newWallet("bounds-known");
    const checkout = await api.inject({
      method: "POST",
      url: "/v1/user/stripe/checkout-sessions",
      headers: { authorization: `Bearer ${token}` },
      payload: { amount_usd: "20.00", success_url: "https://app.test/ok", cancel_url: "https://app.test/no" },
    });
    const { top_up_id: topUpId, checkout_session_id: sessionId } = checkout.json();
    const payload = completed({
      ...paidSession(walletId, 2_000_000_00),
      id: sessionId,
      client_reference_id: topUpId,
      metadata: { top_up_id: topUpId, end_user_id: walletId },
    });
    expect((await deliver(payload)).json().outcome).toBe("rejected_amount");
    expect(await walletUnits(walletId)).toBe(0n);
    const { rows } = await database.db.query<{ status: string }>("SELECT status FROM top_ups WHERE id = $1", [topUpId]);
    expect(rows[0]!.status).toBe("open");
    const audit = await database.db.query<{ action: string; actor_id: string }>(
      "SELECT action, actor_id FROM audit_logs WHERE resource_id = $1 ORDER BY id",
      [topUpId],
    );
    expect(audit.rows.map((row) => row.action)).toEqual(["top_up.checkout_create", "top_up.credit_rejected"]);
  });

  it("refuses another currency for a session of ours (alerted), ignores a stranger's quietly", async () => {
    const { walletId } = await newWallet("bounds-currency");
    const before = await rejectedCount("currency");
    const euros = await deliver(completed(paidSession(walletId, 5000, { currency: "eur" })));
    expect(euros.json().outcome).toBe("rejected_currency");
    expect(await rejectedCount("currency")).toBe(before + 1);
    const stranger = await deliver(
      completed(paidSession("usr_nobody", 5000, { currency: "eur", metadata: { end_user_id: "usr_nobody" } })),
    );
    expect(stranger.json().outcome).toBe("ignored_unknown_top_up");
    expect(await rejectedCount("currency")).toBe(before + 1);
    expect(await walletUnits(walletId)).toBe(0n);
  });
});

describe("webhook signatures", () => {
  it("refuses a timestamp more than 300 s ahead or behind, accepts one a minute ahead", async () => {
    const { walletId } = await newWallet("bounds-clock");
    const events = await database.db.query("SELECT count(*)::int AS n FROM stripe_events");
    for (const offset of [3600, 301 + 5, -3600]) {
      const payload = completed(paidSession(walletId, 500));
      const response = await deliver(payload, signTestEvent(payload, WEBHOOK_SECRET, nowSeconds() + offset));
      expect(response.statusCode, `offset ${offset}`).toBe(400);
      expect(response.json().error.code).toBe("invalid_request");
    }
    expect((await database.db.query("SELECT count(*)::int AS n FROM stripe_events")).rows).toEqual(events.rows);
    const payload = completed(paidSession(walletId, 500));
    const ahead = await deliver(payload, signTestEvent(payload, WEBHOOK_SECRET, nowSeconds() + 60));
    expect(ahead.json().outcome).toBe("credited");
  });

  it.each([
    ["NUL", "\u0000"],
    ["a lone surrogate", "\ud800"],
  ])("refuses a signed event whose text holds %s, naming the field, writing nothing", async (_label, bad) => {
    const { walletId } = await newWallet(`bounds-text-${bad.charCodeAt(0)}`);
    const payload = completed(paidSession(walletId, 500, { metadata: { end_user_id: `${walletId}${bad}` } }));
    const response = await deliver(payload);
    expect(response.statusCode).toBe(400);
    const { error } = response.json();
    expect(error.code).toBe("invalid_request");
    expect(`${error.param ?? ""} ${error.message}`).toContain("data.object.metadata.end_user_id");
    expect(await storedOutcome(eventIdOf(payload))).toBeUndefined();
  });
});
