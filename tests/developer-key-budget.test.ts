import { accountIds, expirePendingTransfers, getBalance, reconcile } from "@modelfaucet/ledger";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEVELOPER_ADMIN_TOKEN, startRoutingStack, type RoutingStack } from "./helpers/routing-stack.js";

// Developer-key budgets through HTTP: the key's budget account is funded on
// store and on PATCH, every request over the key holds its most possible
// upstream cost there before upstream is called, and settles the actual cost.

let stack: RoutingStack;
let token: string;
let keyId: string;
const FEATURE = "budgeted";
const ask = { model: "mock-small", max_tokens: 64, messages: [{ role: "user" as const, content: "hello" }] };

beforeAll(async () => {
  stack = await startRoutingStack();
  await stack.feature(FEATURE, { route_preference: ["developer_key", "platform_pool"], fallback_to_platform: true });
  ({ token } = await stack.user("budget-user", "50.00"));
  keyId = await stack.developerKeyThroughApi("0.00000001");
});
afterAll(() => stack.close());

const budget = async () => (await getBalance(stack.database.db, accountIds.keyBudget(keyId)))!;

async function setBudget(usd: string | null) {
  const response = await stack.fetchApi(`/v1/developer/provider-keys/${keyId}?developer_id=dev_demo`, {
    method: "PATCH",
    token: DEVELOPER_ADMIN_TOKEN,
    body: { budget_limit_usd: usd },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { budget_limit_usd: string | null };
}

async function chat() {
  return stack.client(token).chat.completions.create({ ...ask, metadata: { feature_key: FEATURE } });
}

/** Amount of the budget holds placed so far (every request here has the same worst case). */
async function budgetHoldUnits(): Promise<bigint> {
  const { rows } = await stack.database.db.query<{ amount: string }>(
    "SELECT amount::text FROM ledger_transfers WHERE code = 'developer_key_budget_hold' LIMIT 1",
  );
  return BigInt(rows[0]!.amount);
}

async function developerKeyCost(): Promise<bigint> {
  const { rows } = await stack.database.db.query<{ cost: string }>(
    "SELECT coalesce(sum(cost_units), 0)::text AS cost FROM usage_events WHERE route_mode = 'developer_key'",
  );
  return BigInt(rows[0]!.cost);
}

describe("developer-key budgets", () => {
  it("funds the key's budget account when the key is stored", async () => {
    expect(await budget()).toMatchObject({ kind: "developer", creditsPosted: 1n, available: 1n });
  });

  it("refuses a request the budget cannot cover with 402 budget_exceeded, before calling upstream", async () => {
    const calls = stack.byok.calls.count;
    const error = await chat().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(402);
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe("budget_exceeded");
    // No skip to the platform pool, though the policy names it and allows fallback.
    expect(stack.byok.calls.count).toBe(calls);
    expect(stack.platform.calls.count).toBe(0);
    expect(await stack.wallet(token)).toMatchObject({ held_usd: "0.00000000" });
    expect(await budget()).toMatchObject({ debitsPending: 0n, debitsPosted: 0n });
  });

  it("serves the request once the budget is raised, charging the key's budget the actual upstream cost", async () => {
    expect(await setBudget("1.00")).toMatchObject({ budget_limit_usd: "1.00000000" });
    const answer = await chat();
    const block = (answer as unknown as { modelfaucet: { route_mode: string } }).modelfaucet;
    expect(block.route_mode).toBe("developer_key");
    const cost = await developerKeyCost();
    expect(cost).toBeGreaterThan(0n);
    expect(cost).toBeLessThan(await budgetHoldUnits());
    expect(await budget()).toMatchObject({
      creditsPosted: 100_000_000n,
      debitsPosted: cost,
      debitsPending: 0n,
      available: 100_000_000n - cost,
    });
  });

  it("never lets concurrent requests overspend the budget", async () => {
    const worst = await budgetHoldUnits();
    const spent = (await budget()).debitsPosted;
    // Room for three worst cases and a half: exactly three of the concurrent requests can hold.
    const limit = spent + 3n * worst + worst / 2n;
    await setBudget(`${limit / 100_000_000n}.${(limit % 100_000_000n).toString().padStart(8, "0")}`);
    // Upstream answers nothing until every request has held or been refused: none settles early and frees room
    // for a later one, however slowly the machine runs them.
    const release = stack.byok.hold();
    let refusedSoFar = 0;
    try {
      const outcomes = Array.from({ length: 10 }, () =>
        chat().then(
          () => undefined,
          (error: unknown) => {
            refusedSoFar += 1;
            return error;
          },
        ),
      );
      await expect
        .poll(async () => refusedSoFar + Number((await budget()).debitsPending / worst), { timeout: 20_000 })
        .toBe(10);
      release();
      const refused = (await Promise.all(outcomes)).filter((error) => error !== undefined);
      expect(outcomes.length - refused.length).toBe(3);
      for (const error of refused) {
        expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe("budget_exceeded");
      }
    } finally {
      release();
    }
    // Balance = net funding (the limit) − what the key's requests cost upstream.
    const after = await budget();
    expect(after.balance).toBe(limit - (await developerKeyCost()));
    expect(after.available).toBeGreaterThanOrEqual(0n);
    expect(after.debitsPending).toBe(0n);
    expect((await reconcile(stack.database.db)).ok).toBe(true);
  });

  it("releases the budget hold of a request the Gateway never settled once the hold expires", async () => {
    await setBudget("1.00");
    // A slow upstream keeps the request between hold and settlement long enough to play the worker there.
    stack.byok.setBehavior({ latencyMs: 1500 });
    const answer = stack
      .client(token)
      .chat.completions.create({ ...ask, stream: true, metadata: { feature_key: FEATURE } })
      .then(async (stream) => {
        for await (const chunk of stream) void chunk;
      });
    let before: Awaited<ReturnType<typeof budget>>;
    try {
      await expect.poll(async () => (await budget()).debitsPending, { timeout: 5000 }).toBeGreaterThan(0n);
      before = await budget();
      // What the worker does to the holds of a killed Gateway: both expire, the budget's with the wallet's.
      const expired = await expirePendingTransfers(stack.database.db, {
        now: new Date(Date.now() + 3600_000),
        limit: 100,
      });
      expect(expired.pendingIds.some((id) => id.startsWith("budget-hold:"))).toBe(true);
      expect(await budget()).toMatchObject({ debitsPending: 0n, available: before.available + before.debitsPending });
      await answer;
    } finally {
      stack.byok.setBehavior({ latencyMs: 0 });
    }
    // The late settlement is refused whole: neither the wallet nor the budget is charged for it.
    expect(await budget()).toMatchObject({ debitsPending: 0n, debitsPosted: before.debitsPosted });
    expect(await stack.wallet(token)).toMatchObject({ held_usd: "0.00000000" });
    expect((await reconcile(stack.database.db)).ok).toBe(true);
  });

  it("lowers the budget only by what is neither spent nor held, and empties it when the key is revoked", async () => {
    await setBudget("0.00");
    expect(await budget()).toMatchObject({ available: 0n, balance: 0n, debitsPending: 0n });
    await setBudget("0.50");
    const revoked = await stack.fetchApi(`/v1/developer/provider-keys/${keyId}?developer_id=dev_demo`, {
      method: "DELETE",
      token: DEVELOPER_ADMIN_TOKEN,
    });
    expect(revoked.status).toBe(200);
    expect((await budget()).available).toBe(0n);
    expect((await reconcile(stack.database.db)).ok).toBe(true);
  });

  it("rejects a bad budget with a 400 envelope", async () => {
    const response = await stack.fetchApi(`/v1/developer/provider-keys/dpk_nope?developer_id=dev_demo`, {
      method: "PATCH",
      token: DEVELOPER_ADMIN_TOKEN,
      body: { budget_limit_usd: "-1" },
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("invalid_request");
  });
});
