// Real concurrency on PostgreSQL (TEST_DATABASE_URL): a pool of its own so
// transactions truly overlap. On PGlite transactions serialize, and the same
// assertions must hold.
import { type Database, openPostgres } from "@modelfaucet/db";
import { createTestDatabase } from "@modelfaucet/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PLATFORM_ACCOUNTS } from "./registry/account-ids.js";
import { TRANSFER_CODES } from "./registry/transfer-codes.js";
import { createTransfer, postPending, voidPending } from "./create-transfers.js";
import { getBalance } from "./get-balance.js";
import { expectReconciled, newUser, uniqueId } from "./testing/index.js";
import type { TransferInput } from "./transfer-input.js";

let db: Database;
let busy: Database;
beforeAll(async () => {
  const test = await createTestDatabase();
  db = test.db;
  busy = test.databaseUrl ? openPostgres({ url: test.databaseUrl, poolMax: 25 }) : db;
});
afterAll(async () => {
  await expectReconciled(db);
  if (busy !== db) await busy.close();
  await db.close();
});

const HOLD = 1_000n;

function hold(user: string, id = uniqueId("hold")): TransferInput {
  return {
    kind: "pending",
    id,
    debitAccountId: user,
    creditAccountId: PLATFORM_ACCOUNTS.usageClearing,
    amount: HOLD,
    code: TRANSFER_CODES.usageHold,
    timeoutSeconds: 300,
  };
}

describe("concurrent holds on one account", () => {
  it("creates exactly as many as the balance covers, each in its own transaction", async () => {
    const user = await newUser(db, 5n * HOLD);
    const results = await Promise.all(
      Array.from({ length: 100 }, () => busy.transaction((tx) => createTransfer(tx, hold(user)))),
    );
    const counts = countBy(results.map((r) => r.result));
    expect(counts).toEqual({ created: 5, exceeds_credits: 95 });
    expect(await getBalance(db, user)).toMatchObject({ balance: 5n * HOLD, debitsPending: 5n * HOLD, available: 0n });
    await expectReconciled(db);
  });

  it("answers exists to every concurrent copy of one transfer, and moves the money once", async () => {
    // Funded for exactly this hold: a copy that waited for the row finds the
    // credits used — by its twin, so the answer must be exists, not a refusal.
    const user = await newUser(db, HOLD);
    const input = hold(user);
    const results = await Promise.all(Array.from({ length: 30 }, () => createTransfer(busy, input)));
    expect(countBy(results.map((r) => r.result))).toEqual({ created: 1, exists: 29 });
    expect(await getBalance(db, user)).toMatchObject({ debitsPending: HOLD });
  });

  it("lets exactly one of many concurrent posts and voids resolve a hold", async () => {
    const user = await newUser(db, HOLD);
    const h = hold(user);
    await createTransfer(db, h);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0
          ? postPending(busy, { id: uniqueId("post"), pendingId: h.id, amount: 400n })
          : voidPending(busy, { id: uniqueId("void"), pendingId: h.id }),
      ),
    );
    const counts = countBy(results.map((r) => r.result));
    const winners = (counts.posted ?? 0) + (counts.voided ?? 0);
    expect(winners).toBe(1);
    const losers = counts.posted === 1 ? "already_posted" : "already_voided";
    expect(counts[losers]).toBe(19);
    const expected = counts.posted === 1 ? HOLD - 400n : HOLD;
    expect(await getBalance(db, user)).toMatchObject({ balance: expected, debitsPending: 0n });
    await expectReconciled(db);
  });
});

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
