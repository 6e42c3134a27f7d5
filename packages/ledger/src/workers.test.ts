// The sweeper and the folder run as several workers at once, alongside
// request traffic: nothing may be released or folded twice, or lost.
import { type Database, openPostgres } from "@modelfaucet/db";
import { createTestDatabase } from "@modelfaucet/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PLATFORM_ACCOUNTS } from "./registry/account-ids.js";
import { TRANSFER_CODES } from "./registry/transfer-codes.js";
import { applyDeferredBalances } from "./apply-deferred-balances.js";
import { createTransfer, createTransfers, postPending } from "./create-transfers.js";
import { expirePendingTransfers } from "./expire-pending-transfers.js";
import { getBalance } from "./get-balance.js";
import { expectReconciled, newDeveloper, newUser, storedRow, uniqueId } from "./testing/index.js";

const { usageClearing, providerCost, revenue } = PLATFORM_ACCOUNTS;

let db: Database;
let busy: Database;
beforeAll(async () => {
  const test = await createTestDatabase();
  db = test.db;
  busy = test.databaseUrl ? openPostgres({ url: test.databaseUrl, poolMax: 12 }) : db;
});
afterAll(async () => {
  await expectReconciled(db);
  if (busy !== db) await busy.close();
  await db.close();
});

describe("expiry sweepers", () => {
  it("release every expired hold exactly once, with posts racing them", async () => {
    const t0 = new Date("2032-01-01T00:00:00Z");
    const users = await Promise.all(Array.from({ length: 10 }, () => newUser(db, 10_000n)));
    const holdIds = users.flatMap((user) => Array.from({ length: 20 }, () => `${user}:${uniqueId("hold")}`));
    await createTransfers(
      db,
      holdIds.map((id, i) => ({
        kind: "pending" as const,
        id,
        debitAccountId: users[i % users.length]!,
        creditAccountId: usageClearing,
        amount: 100n,
        code: TRANSFER_CODES.usageHold,
        timeoutSeconds: 60,
      })),
      { now: t0 },
    );
    const later = new Date(t0.getTime() + 61_000);

    const sweeper = async () => {
      const released: string[] = [];
      for (;;) {
        const { pendingIds } = await expirePendingTransfers(busy, { now: later, limit: 7 });
        if (pendingIds.length === 0) return released;
        released.push(...pendingIds);
      }
    };
    // Every fifth hold is also posted (late) while the sweepers run.
    const posts = holdIds
      .filter((_, i) => i % 5 === 0)
      .map((pendingId) => postPending(busy, { id: `${pendingId}:post`, pendingId, amount: 40n }));
    const [swept, posted] = await Promise.all([
      Promise.all([sweeper(), sweeper(), sweeper(), sweeper()]),
      Promise.all(posts),
    ]);

    const released = swept.flat();
    const postedIds = posted.filter((r) => r.result === "posted").map((r) => r.id.replace(/:post$/, ""));
    expect(new Set(released).size).toBe(released.length);
    expect(new Set([...released, ...postedIds]).size).toBe(holdIds.length);
    expect(released.length + postedIds.length).toBe(holdIds.length);
    for (const r of posted) expect(["posted", "already_expired"]).toContain(r.result);

    for (const user of users) expect(await getBalance(db, user)).toMatchObject({ debitsPending: 0n });
    await expectReconciled(db);
  });
});

describe("deferred-balance folders", () => {
  it("fold every delta exactly once while settlements keep arriving", async () => {
    const developer = await newDeveloper(db);
    const users = await Promise.all(Array.from({ length: 8 }, () => newUser(db, 1_000_000n)));
    const before = {
      cost: (await getBalance(db, providerCost))!.balance,
      revenue: (await getBalance(db, revenue))!.balance,
    };

    const settleOne = async (user: string) => {
      const h = uniqueId("hold");
      await createTransfer(busy, {
        kind: "pending",
        id: h,
        debitAccountId: user,
        creditAccountId: usageClearing,
        amount: 1_000n,
        code: TRANSFER_CODES.usageHold,
        timeoutSeconds: 300,
      });
      const results = await createTransfers(busy, [
        { kind: "post_pending", id: `${h}:post`, pendingId: h, amount: 600n },
        {
          kind: "posted",
          id: `${h}:cost`,
          debitAccountId: usageClearing,
          creditAccountId: providerCost,
          amount: 400n,
          code: TRANSFER_CODES.usageProviderCost,
        },
        {
          kind: "posted",
          id: `${h}:dev`,
          debitAccountId: usageClearing,
          creditAccountId: developer,
          amount: 120n,
          code: TRANSFER_CODES.usageDeveloperShare,
        },
        {
          kind: "posted",
          id: `${h}:rev`,
          debitAccountId: usageClearing,
          creditAccountId: revenue,
          amount: 80n,
          code: TRANSFER_CODES.usagePlatformShare,
        },
      ]);
      expect(results.every((r) => r.result === "created")).toBe(true);
    };
    let traffic = true;
    const folder = async () => {
      let folded = 0;
      while (traffic) folded += (await applyDeferredBalances(busy, { limit: 10 })).deltas;
      return folded;
    };
    const folders = Promise.all([folder(), folder(), folder()]);
    await Promise.all(
      users.map(async (user) => {
        for (let i = 0; i < 15; i++) await settleOne(user);
      }),
    );
    traffic = false;
    await folders;
    while ((await applyDeferredBalances(db, { limit: 1000 })).deltas > 0);

    const settlements = BigInt(users.length * 15);
    const { rows } = await db.query<{ n: string }>("SELECT count(*) AS n FROM ledger_balance_deltas");
    expect(rows[0]!.n).toBe("0");
    expect(await storedRow(db, developer)).toMatchObject({ creditsPosted: 120n * settlements });
    expect((await getBalance(db, providerCost))!.balance - before.cost).toBe(400n * settlements);
    expect((await getBalance(db, revenue))!.balance - before.revenue).toBe(80n * settlements);
    expect(await getBalance(db, usageClearing)).toMatchObject({ debitsPending: 0n, creditsPending: 0n });
    await expectReconciled(db);
  });
});
