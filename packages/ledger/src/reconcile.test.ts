import type { Database, Queryable } from "@modelfaucet/db";
import { createTestDatabase } from "@modelfaucet/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PLATFORM_ACCOUNTS } from "./registry/account-ids.js";
import { TRANSFER_CODES } from "./registry/transfer-codes.js";
import { createTransfer } from "./create-transfers.js";
import { reconcile, type ReconcileReport } from "./reconcile.js";
import { newUser, uniqueId } from "./testing/index.js";

let db: Database;
let user: string;
let holdId: string;
beforeAll(async () => {
  ({ db } = await createTestDatabase());
  user = await newUser(db, 1_000n);
  holdId = uniqueId("hold");
  await createTransfer(db, {
    kind: "pending",
    id: holdId,
    debitAccountId: user,
    creditAccountId: PLATFORM_ACCOUNTS.usageClearing,
    amount: 300n,
    code: TRANSFER_CODES.usageHold,
    timeoutSeconds: 60,
  });
});
afterAll(async () => {
  await db.close();
});

const ROLLBACK = new Error("rollback");

/** Reconciles after `corrupt` ran, in a transaction rolled back afterwards. */
async function reconcileCorrupted(corrupt: (tx: Queryable) => Promise<unknown>): Promise<ReconcileReport> {
  let report: ReconcileReport | undefined;
  await db
    .transaction(async (tx) => {
      await corrupt(tx);
      report = await reconcile(tx);
      throw ROLLBACK;
    })
    .catch((error: unknown) => {
      if (error !== ROLLBACK) throw error;
    });
  if (!report) throw new Error("no report");
  return report;
}

describe("reconcile", () => {
  it("passes on a consistent ledger and balances debits with credits", async () => {
    const report = await reconcile(db);
    expect(report).toMatchObject({ ok: true, mismatches: [], negative: [], pendingProblems: [] });
    expect(report.totals.debitsPosted).toBe(report.totals.creditsPosted);
    expect(report.totals.debitsPending).toBe(report.totals.creditsPending);
    expect(report.totals.debitsPending).toBe(300n);
    expect(report.accounts).toBeGreaterThanOrEqual(7);
    expect(report.transfers).toBe(2);
  });

  it("finds a stored column that does not add up", async () => {
    const report = await reconcileCorrupted((tx) =>
      tx.query("UPDATE ledger_accounts SET credits_posted = credits_posted + 5 WHERE id = $1", [user]),
    );
    expect(report.ok).toBe(false);
    expect(report.mismatches).toEqual([
      { accountId: user, kind: "end_user", column: "credits_posted", stored: 1005n, deferred: 0n, expected: 1000n },
    ]);
    expect(report.totals.creditsPosted - report.totals.debitsPosted).toBe(5n);
  });

  it("finds a deferred delta for an account that does not exist, and an overdrawn account", async () => {
    const report = await reconcileCorrupted(async (tx) => {
      await tx.query(
        `INSERT INTO ledger_balance_deltas (account_id, debits_posted, credits_posted, debits_pending, credits_pending)
         VALUES ('platform:nowhere', 0, 7, 0, 0), ($1, 2000, 0, 0, 0)`,
        [user],
      );
    });
    expect(report.ok).toBe(false);
    expect(report.mismatches).toContainEqual(expect.objectContaining({ accountId: "platform:nowhere", kind: null }));
    expect(report.mismatches).toContainEqual(expect.objectContaining({ accountId: user, column: "debits_posted" }));
    expect(report.negative).toEqual([{ accountId: user, kind: "end_user", available: -1300n }]);
  });

  it("finds a hold the sweeper would never release, and one resolved twice", async () => {
    const report = await reconcileCorrupted(async (tx) => {
      await tx.query("DELETE FROM ledger_open_holds WHERE pending_id = $1", [holdId]);
      await tx.query("DROP INDEX ledger_transfers_resolves_pending_once");
      for (const suffix of ["a", "b"]) {
        await tx.query(
          `INSERT INTO ledger_transfers (id, kind, debit_account_id, credit_account_id, amount, pending_id, code)
           VALUES ($1, 'void_pending', $2, $3, 300, $4, 'usage_hold')`,
          [`${holdId}:void:${suffix}`, user, PLATFORM_ACCOUNTS.usageClearing, holdId],
        );
      }
    });
    expect(report.ok).toBe(false);
    expect(report.pendingProblems).toContainEqual({ pendingId: holdId, problem: "resolved_more_than_once" });
    const withoutResolution = await reconcileCorrupted((tx) =>
      tx.query("DELETE FROM ledger_open_holds WHERE pending_id = $1", [holdId]),
    );
    expect(withoutResolution.pendingProblems).toEqual([{ pendingId: holdId, problem: "missing_open_hold" }]);
  });
});

describe("the schema itself", () => {
  it("refuses a second resolution of one hold, whoever writes it", async () => {
    const insert = (tx: Queryable, id: string) =>
      tx.query(
        `INSERT INTO ledger_transfers (id, kind, debit_account_id, credit_account_id, amount, pending_id, code)
         VALUES ($1, 'void_pending', $2, $3, 300, $4, 'usage_hold')`,
        [id, user, PLATFORM_ACCOUNTS.usageClearing, holdId],
      );
    // Both inserts in one transaction, which the refusal rolls back.
    const error = await db
      .transaction(async (tx) => {
        await insert(tx, `${holdId}:first`);
        await insert(tx, `${holdId}:second`);
      })
      .catch((caught: unknown) => caught);
    expect(String(error)).toMatch(/duplicate key/);
    expect((await reconcile(db)).ok).toBe(true);
  });

  it("keeps transfers immutable and constrained accounts above zero", async () => {
    await expect(db.query("UPDATE ledger_transfers SET amount = amount + 1")).rejects.toThrow(/immutable/);
    await expect(db.query("DELETE FROM ledger_transfers")).rejects.toThrow(/immutable/);
    await expect(
      db.query("UPDATE ledger_accounts SET debits_posted = credits_posted + 1 WHERE id = $1", [user]),
    ).rejects.toThrow(/check constraint/);
    await expect(db.query("DELETE FROM ledger_accounts WHERE id = $1", [user])).rejects.toThrow(/immutable/);
  });
});
