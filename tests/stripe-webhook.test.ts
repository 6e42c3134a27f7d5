import { buildApi } from "@modelfaucet/api";
import { createTestDatabase, type TestDatabase } from "@modelfaucet/db/testing";
import {
  accountIds,
  createTransfer,
  getBalance,
  PLATFORM_ACCOUNTS,
  reconcile,
  TRANSFER_CODES,
} from "@modelfaucet/ledger";
import { createLogger } from "@modelfaucet/server-kit";
import { testConfig } from "@modelfaucet/server-kit/testing";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signTestEvent } from "@modelfaucet/api/testing";
import { fakeStripeClient, startFakeStripe, type FakeStripe } from "./helpers/fake-stripe.js";
import { ADMIN_TOKEN } from "./helpers/services.js";

const WEBHOOK_SECRET = "whsec_test_0123456789abcdef";
const USD = 100_000_000n;

let database: TestDatabase;
let api: FastifyInstance;
let fake: FakeStripe;

beforeAll(async () => {
  database = await createTestDatabase();
  fake = await startFakeStripe();
  const stripe = fakeStripeClient(fake);
  api = await buildApi({
    config: testConfig({ ADMIN_TOKEN, STRIPE_SECRET_KEY: "sk_test_fake", STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET }),
    db: database.db,
    logger: createLogger({ level: "silent" }),
    stripe,
  });
});
afterAll(async () => {
  await api.close();
  await new Promise((resolve) => fake.server.close(resolve));
  await database.db.close();
});

async function newUser(externalUserId: string): Promise<{ token: string; walletId: string }> {
  const minted = await api.inject({
    method: "POST",
    url: "/v1/sessions",
    payload: { public_app_id: "app_demo", external_user_id: externalUserId },
  });
  const token = minted.json<{ session_token: string }>().session_token;
  const wallet = await api.inject({ url: "/v1/user/wallet", headers: { authorization: `Bearer ${token}` } });
  return { token, walletId: wallet.json<{ wallet_id: string }>().wallet_id };
}

async function checkout(token: string, amountUsd: string) {
  return api.inject({
    method: "POST",
    url: "/v1/user/stripe/checkout-sessions",
    headers: { authorization: `Bearer ${token}` },
    payload: { amount_usd: amountUsd, success_url: "https://app.test/ok", cancel_url: "https://app.test/cancel" },
  });
}

let eventCounter = 0;
function stripeEvent(type: string, object: Record<string, unknown>, id = `evt_test_${++eventCounter}`) {
  return JSON.stringify({ id, object: "event", type, livemode: false, created: 1_790_000_000, data: { object } });
}

function deliver(payload: string, signature = signTestEvent(payload, WEBHOOK_SECRET)) {
  return api.inject({
    method: "POST",
    url: "/v1/stripe/webhook",
    headers: { "content-type": "application/json", "stripe-signature": signature },
    payload,
  });
}

function completedSession(sessionId: string, topUpId: string, walletId: string, cents: number, extra = {}) {
  return {
    id: sessionId,
    object: "checkout.session",
    payment_status: "paid",
    amount_total: cents,
    currency: "usd",
    client_reference_id: topUpId,
    metadata: { top_up_id: topUpId, end_user_id: walletId },
    payment_intent: `pi_for_${sessionId.slice(3)}`,
    ...extra,
  };
}

async function walletUnits(walletId: string): Promise<bigint> {
  return (await getBalance(database.db, accountIds.user(walletId)))?.balance ?? 0n;
}

async function counts() {
  const { rows } = await database.db.query<{ events: string; top_ups: string; transfers: string }>(
    `SELECT (SELECT count(*) FROM stripe_events)::text AS events,
            (SELECT count(*) FROM top_ups)::text AS top_ups,
            (SELECT count(*) FROM ledger_transfers)::text AS transfers`,
  );
  return rows[0];
}

function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** Starts a checkout and returns what the webhook needs to complete it. */
async function openTopUp(externalUserId: string, amountUsd: string) {
  const user = await newUser(externalUserId);
  const response = await checkout(user.token, amountUsd);
  expect(response.statusCode).toBe(201);
  const body = response.json<{ top_up_id: string; checkout_session_id: string }>();
  return { ...user, topUpId: body.top_up_id, sessionId: body.checkout_session_id };
}

describe("POST /v1/user/stripe/checkout-sessions", () => {
  it("creates a Checkout Session through the stripe package and records a pending top-up", async () => {
    const { token, walletId } = await newUser("checkout-1");
    const before = fake.requests.length;
    const response = await checkout(token, "12.50");
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body).toMatchObject({
      wallet_id: walletId,
      amount_usd: "12.50000000",
      status: "open",
      checkout_url: expect.stringMatching(/^https:\/\/checkout\.stripe\.test\//),
    });
    const sent = fake.requests[before]!;
    expect(sent.path).toBe("/v1/checkout/sessions");
    expect(sent.headers.authorization).toBe("Bearer sk_test_fake");
    expect(sent.headers["idempotency-key"]).toBe(`top_up:${body.top_up_id}`);
    expect(Object.fromEntries(sent.form)).toMatchObject({
      mode: "payment",
      client_reference_id: body.top_up_id,
      "line_items[0][price_data][currency]": "usd",
      "line_items[0][price_data][unit_amount]": "1250",
      "metadata[top_up_id]": body.top_up_id,
      "metadata[end_user_id]": walletId,
      "payment_intent_data[metadata][top_up_id]": body.top_up_id,
      success_url: "https://app.test/ok",
    });
    const { rows } = await database.db.query(
      "SELECT status, checkout_session_id, amount_units::text AS units FROM top_ups WHERE id = $1",
      [body.top_up_id],
    );
    expect(rows[0]).toEqual({ status: "open", checkout_session_id: body.checkout_session_id, units: "1250000000" });
  });

  it.each([
    ["0.99", "below the minimum"],
    ["10000.01", "above the maximum"],
    ["5.001", "not whole cents"],
    ["abc", "not a number"],
  ])("refuses amount_usd %s (%s) with 400", async (amount) => {
    const { token } = await newUser("checkout-bad");
    const response = await checkout(token, amount);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe("invalid_request");
  });

  it("refuses a non-http return URL and a missing session", async () => {
    const { token } = await newUser("checkout-url");
    const bad = await api.inject({
      method: "POST",
      url: "/v1/user/stripe/checkout-sessions",
      headers: { authorization: `Bearer ${token}` },
      payload: { amount_usd: "5.00", success_url: "javascript:alert(1)", cancel_url: "https://app.test/c" },
    });
    expect(bad.statusCode).toBe(400);
    const anonymous = await api.inject({
      method: "POST",
      url: "/v1/user/stripe/checkout-sessions",
      payload: { amount_usd: "5.00", success_url: "https://a.test", cancel_url: "https://a.test" },
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it("answers 503 payments_disabled without STRIPE_SECRET_KEY / STRIPE_WEBHOOK_SECRET", async () => {
    const disabled = await buildApi({
      config: testConfig({ ADMIN_TOKEN }),
      db: database.db,
      logger: createLogger({ level: "silent" }),
    });
    try {
      const minted = await disabled.inject({
        method: "POST",
        url: "/v1/sessions",
        payload: { public_app_id: "app_demo", external_user_id: "disabled-1" },
      });
      const token = minted.json<{ session_token: string }>().session_token;
      const response = await disabled.inject({
        method: "POST",
        url: "/v1/user/stripe/checkout-sessions",
        headers: { authorization: `Bearer ${token}` },
        payload: { amount_usd: "5.00", success_url: "https://a.test", cancel_url: "https://a.test" },
      });
      expect(response.statusCode).toBe(503);
      expect(response.json().error.code).toBe("payments_disabled");
      const hook = await disabled.inject({
        method: "POST",
        url: "/v1/stripe/webhook",
        headers: { "content-type": "application/json", "stripe-signature": "t=1,v1=x" },
        payload: "{}",
      });
      expect(hook.statusCode).toBe(503);
      expect(hook.json().error.code).toBe("payments_disabled");
    } finally {
      await disabled.close();
    }
  });
});

describe("POST /v1/stripe/webhook", () => {
  it("credits once when the same event arrives 20 times at once, among other events of the session, in any order", async () => {
    const { walletId, topUpId, sessionId } = await openTopUp("webhook-once", "25.00");
    const session = completedSession(sessionId, topUpId, walletId, 2500);
    const completed = stripeEvent("checkout.session.completed", session);
    const asyncSucceeded = stripeEvent("checkout.session.async_payment_succeeded", session);
    const expired = stripeEvent("checkout.session.expired", { ...session, payment_status: "unpaid" });
    const deliveries = shuffled([
      ...Array.from({ length: 20 }, () => completed),
      ...Array.from({ length: 3 }, () => asyncSucceeded),
      expired,
    ]);
    const responses = await Promise.all(deliveries.map((payload) => deliver(payload)));
    expect(responses.map((response) => response.statusCode)).toEqual(deliveries.map(() => 200));
    const outcomes = responses.map((response) => response.json<{ outcome: string; duplicate: boolean }>());
    expect(outcomes.filter((outcome) => outcome.outcome === "credited" && !outcome.duplicate)).toHaveLength(1);
    expect(outcomes.filter((outcome) => !outcome.duplicate)).toHaveLength(3);

    expect(await walletUnits(walletId)).toBe(25n * USD);
    const { rows: transfers } = await database.db.query<{ id: string; amount: string }>(
      "SELECT id, amount::text AS amount FROM ledger_transfers WHERE credit_account_id = $1",
      [accountIds.user(walletId)],
    );
    expect(transfers).toEqual([{ id: `stripe_topup:${sessionId}`, amount: String(25n * USD) }]);
    const { rows: topUps } = await database.db.query("SELECT status FROM top_ups WHERE id = $1", [topUpId]);
    expect(topUps).toEqual([{ status: "paid" }]);
    const { rows: events } = await database.db.query<{ count: string }>(
      "SELECT count(*)::text AS count FROM stripe_events WHERE top_up_id = $1",
      [topUpId],
    );
    expect(events[0]!.count).toBe("3");
    expect((await reconcile(database.db)).ok).toBe(true);

    // A redelivery a day later changes nothing either.
    const late = await deliver(completed);
    expect(late.json()).toMatchObject({ duplicate: true });
    expect(await walletUnits(walletId)).toBe(25n * USD);
  });

  it("waits for an asynchronous payment, then credits on async_payment_succeeded", async () => {
    const { walletId, topUpId, sessionId } = await openTopUp("webhook-async", "5.00");
    const unpaid = completedSession(sessionId, topUpId, walletId, 500, { payment_status: "unpaid" });
    expect((await deliver(stripeEvent("checkout.session.completed", unpaid))).json().outcome).toBe("awaiting_payment");
    expect(await walletUnits(walletId)).toBe(0n);
    const paid = completedSession(sessionId, topUpId, walletId, 500);
    expect((await deliver(stripeEvent("checkout.session.async_payment_succeeded", paid))).json().outcome).toBe(
      "credited",
    );
    expect(await walletUnits(walletId)).toBe(5n * USD);
  });

  it("refuses a bad signature with 400 and writes nothing", async () => {
    const { walletId, topUpId, sessionId } = await openTopUp("webhook-forged", "50.00");
    const payload = stripeEvent("checkout.session.completed", completedSession(sessionId, topUpId, walletId, 5000));
    const before = await counts();
    const attempts = [
      deliver(payload, signTestEvent(payload, "whsec_someone_else")),
      deliver(payload, "t=1,v1=deadbeef"),
      deliver(payload.replace("5000", "500000"), signTestEvent(payload, WEBHOOK_SECRET)),
      deliver(payload, signTestEvent(payload, WEBHOOK_SECRET, Math.floor(Date.now() / 1000) - 3600)),
      api.inject({
        method: "POST",
        url: "/v1/stripe/webhook",
        headers: { "content-type": "application/json" },
        payload,
      }),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe("invalid_request");
    }
    expect(await counts()).toEqual(before);
    expect(await walletUnits(walletId)).toBe(0n);
  });

  it("debits a refund beyond the balance down to zero and books the shortfall as a receivable", async () => {
    const { walletId, topUpId, sessionId } = await openTopUp("webhook-refund", "10.00");
    const session = completedSession(sessionId, topUpId, walletId, 1000);
    const chargeId = `ch_for_${sessionId.slice(3)}`;
    const charge = (refundedCents: number) => ({
      id: chargeId,
      object: "charge",
      amount: 1000,
      amount_refunded: refundedCents,
      currency: "usd",
      payment_intent: session.payment_intent,
      // Our payment_intent_data.metadata, as the charge of that PaymentIntent carries it.
      metadata: { top_up_id: topUpId },
    });

    // A refund delivered before the credit is refused for redelivery, writing nothing.
    const early = stripeEvent("charge.refunded", charge(1000));
    const tooEarly = await deliver(early);
    expect(tooEarly.statusCode).toBe(409);
    expect((await database.db.query("SELECT 1 FROM stripe_events WHERE id = $1", [JSON.parse(early).id])).rows).toEqual(
      [],
    );

    expect((await deliver(stripeEvent("checkout.session.completed", session))).json().outcome).toBe("credited");
    // The user spends 7 of the 10 USD.
    const spent = await createTransfer(database.db, {
      kind: "posted",
      id: `test_spend:${walletId}`,
      debitAccountId: accountIds.user(walletId),
      creditAccountId: PLATFORM_ACCOUNTS.revenue,
      amount: 7n * USD,
      code: TRANSFER_CODES.adjustment,
    });
    expect(spent.result).toBe("created");
    const receivableBefore = (await getBalance(database.db, PLATFORM_ACCOUNTS.receivable))!.balance;

    // A partial refund first (4 USD), then the rest, the latter redelivered and
    // an older copy of the partial arriving last.
    const partial = stripeEvent("charge.refunded", charge(400));
    const full = stripeEvent("charge.refunded", charge(1000));
    expect((await deliver(partial)).json().outcome).toBe("refund_debited");
    expect(await walletUnits(walletId)).toBe(0n);
    const results = await Promise.all([deliver(full), deliver(full), deliver(early)]);
    expect(results.map((response) => response.statusCode)).toEqual([200, 200, 200]);
    // `full` and `early` both say 10 USD refunded in total: whichever runs first takes the rest.
    const fresh = results.map((response) => response.json()).filter((body) => !body.duplicate);
    expect(fresh.map((body) => body.outcome).sort()).toEqual(["nothing_to_claw_back", "refund_debited"]);
    expect((await deliver(stripeEvent("charge.refunded", charge(400)))).json().outcome).toBe("nothing_to_claw_back");

    expect(await walletUnits(walletId)).toBe(0n);
    const receivableAfter = (await getBalance(database.db, PLATFORM_ACCOUNTS.receivable))!.balance;
    // Debit-normal: the platform is now owed the 7 USD the user had spent.
    expect(receivableBefore - receivableAfter).toBe(7n * USD);
    const { rows } = await database.db.query(
      `SELECT refunded_units::text AS refunded, receivable_units::text AS receivable FROM top_ups WHERE id = $1`,
      [topUpId],
    );
    expect(rows[0]).toEqual({ refunded: String(10n * USD), receivable: String(7n * USD) });
    const report = await reconcile(database.db);
    expect(report.ok).toBe(true);
    expect(report.negative).toEqual([]);

    // A dispute after a full refund has nothing left to take.
    const dispute = stripeEvent("charge.dispute.created", {
      id: `dp_for_${sessionId.slice(3)}`,
      object: "dispute",
      amount: 1000,
      currency: "usd",
      charge: chargeId,
      payment_intent: session.payment_intent,
    });
    expect((await deliver(dispute)).json().outcome).toBe("nothing_to_claw_back");
  });

  it("debits a dispute from what the wallet holds, once per dispute", async () => {
    const { walletId, topUpId, sessionId } = await openTopUp("webhook-dispute", "20.00");
    const session = completedSession(sessionId, topUpId, walletId, 2000);
    await deliver(stripeEvent("checkout.session.completed", session));
    const dispute = {
      id: `dp_for_${sessionId.slice(3)}`,
      object: "dispute",
      amount: 1500,
      currency: "usd",
      charge: `ch_for_${sessionId.slice(3)}`,
      payment_intent: session.payment_intent,
    };
    const first = await deliver(stripeEvent("charge.dispute.created", dispute));
    expect(first.json().outcome).toBe("dispute_debited");
    // The same dispute under another event id (e.g. re-sent by Stripe) takes nothing more.
    expect((await deliver(stripeEvent("charge.dispute.created", dispute))).json().outcome).toBe("nothing_to_claw_back");
    expect(await walletUnits(walletId)).toBe(5n * USD);
    expect((await reconcile(database.db)).ok).toBe(true);
  });

  it("records events it does not act on, and adopts a paid session carrying a known wallet", async () => {
    const ignored = await deliver(stripeEvent("customer.created", { id: "cus_1", object: "customer" }));
    expect(ignored.json()).toMatchObject({ outcome: "ignored_event_type", duplicate: false });

    const { walletId } = await newUser("webhook-adopt");
    const adopted = completedSession("cs_test_from_dashboard", "not-ours", walletId, 300);
    expect((await deliver(stripeEvent("checkout.session.completed", adopted))).json().outcome).toBe("credited");
    expect(await walletUnits(walletId)).toBe(3n * USD);

    const stranger = completedSession("cs_test_stranger", "not-ours", "usr_nobody", 300);
    expect((await deliver(stripeEvent("checkout.session.completed", stranger))).json().outcome).toBe(
      "ignored_unknown_top_up",
    );
  });
});
