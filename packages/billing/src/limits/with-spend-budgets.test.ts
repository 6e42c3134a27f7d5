import { applicableBudgets, budgetWindow } from "@modelfaucet/core";
import { createTestDatabase, type TestDatabase } from "@modelfaucet/db/testing";
import { reconcile } from "@modelfaucet/ledger";
import { readCounterSpans, sweepBudgetReservations } from "@modelfaucet/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { creditTestBalance } from "../adjustments/credit-test-balance.js";
import type { UsageRecord } from "../usage/billing.js";
import { createLedgerBilling } from "../usage/ledger-billing.js";
import { openWallet } from "../wallets/wallets.js";
import { withSpendBudgets } from "./with-spend-budgets.js";

// The crash window between the two writes of a settlement: the ledger's (with
// the usage event) commits, the counters' does not. The worker's sweep must
// then count the request at its usage event's amounts — never leak it.

let database: TestDatabase;
const endUserId = "usr_half_settled";
const session = { sessionId: "ses_half", appId: "app_demo", developerId: "dev_demo", endUserId };
const subject = { appId: "app_demo", featureKey: "half", endUserId };
const budgets = applicableBudgets(subject, undefined, {
  budgets: [{ scope: "end_user", period: "day", max_usd: "1.00000000", max_tokens: 1000 }],
});

beforeAll(async () => {
  database = await createTestDatabase();
  await database.db.query("INSERT INTO end_users (id, app_id, external_user_hmac) VALUES ($1, 'app_demo', 'half')", [
    endUserId,
  ]);
  await openWallet(database.db, endUserId);
  await creditTestBalance(database.db, {
    endUserId,
    amountUnits: 100_000_000n,
    idempotencyKey: undefined,
    requestId: "req_credit",
  });
});
afterAll(() => database.db.close());

async function counted() {
  const window = budgetWindow(budgets[0]!.budget, new Date());
  const [usage] = await readCounterSpans(database.db, [
    { counterKey: budgets[0]!.counterKey, from: window.from, to: window.current },
  ]);
  return usage!;
}

describe("withSpendBudgets after a crash", () => {
  it("counts a request whose settlement committed but whose counters were never updated, from its usage event", async () => {
    const { db } = database;
    const ledger = createLedgerBilling(db, { holdTimeoutSeconds: 60 });
    const billing = withSpendBudgets(ledger, { db, holdTimeoutSeconds: 60, budgetsFor: async () => budgets });
    const hold = await billing.hold(session, 500n, "req_half", undefined, { featureKey: "half", maxTokens: 80 });
    expect(await counted()).toEqual({ spentUnits: 0n, heldUnits: 500n, spentTokens: 0, heldTokens: 80 });
    const record: UsageRecord = {
      requestId: "req_half",
      session,
      featureKey: "half",
      routeMode: "platform",
      provider: "mock",
      model: "mock-small",
      stream: false,
      outcome: "completed",
      usageSource: "upstream",
      usage: { inputTokens: 9, cachedInputTokens: 0, outputTokens: 4 },
      charge: { cost: 100n, retail: 130n, developer: 12n, platform: 18n },
      attempts: [],
    };
    // The Gateway dies between the two writes: only the ledger's settlement ran.
    await ledger.settle(hold, record);
    // Not yet expired: the sweep leaves it.
    expect(await sweepBudgetReservations(db, { now: new Date(), limit: 10 })).toBe(0);
    expect(await sweepBudgetReservations(db, { now: new Date(Date.now() + 120_000), limit: 10 })).toBe(1);
    expect(await counted()).toEqual({ spentUnits: 130n, heldUnits: 0n, spentTokens: 13, heldTokens: 0 });
    // A settlement arriving after the sweep finds nothing left to resolve: the request counts once.
    await billing.settle(hold, record).catch(() => undefined);
    expect(await counted()).toEqual({ spentUnits: 130n, heldUnits: 0n, spentTokens: 13, heldTokens: 0 });
    expect((await reconcile(db)).ok).toBe(true);
  });

  it("drops the reservation of a request that never settled", async () => {
    const { db } = database;
    const billing = withSpendBudgets(createLedgerBilling(db, { holdTimeoutSeconds: 60 }), {
      db,
      holdTimeoutSeconds: 60,
      budgetsFor: async () => budgets,
    });
    await billing.hold(session, 700n, "req_dead", undefined, { featureKey: "half", maxTokens: 50 });
    expect((await counted()).heldUnits).toBe(700n);
    expect(await sweepBudgetReservations(db, { now: new Date(Date.now() + 120_000), limit: 10 })).toBe(1);
    expect(await counted()).toEqual({ spentUnits: 130n, heldUnits: 0n, spentTokens: 13, heldTokens: 0 });
  });
});
