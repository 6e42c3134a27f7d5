// Ledger fixtures for tests: accounts, top-ups, holds and the reconciliation check.
import type { Queryable } from "@modelfaucet/db";
import { expect } from "vitest";
import { accountIds, PLATFORM_ACCOUNTS } from "../registry/account-ids.js";
import { TRANSFER_CODES } from "../registry/transfer-codes.js";
import { createTransfer } from "../create-transfers.js";
import { ensureAccount } from "../ensure-account.js";
import { reconcile } from "../reconcile.js";
import type { PendingTransferInput, PostedTransferInput } from "../transfer-input.js";

let counter = 0;

/** A fresh id, unique within the test process. */
export function uniqueId(prefix: string): string {
  return `${prefix}_${process.pid}_${++counter}`;
}

export async function newUser(q: Queryable, funded = 0n): Promise<string> {
  const endUserId = uniqueId("usr");
  const id = accountIds.user(endUserId);
  expect(await ensureAccount(q, { id, kind: "end_user", ownerId: endUserId })).toEqual({ result: "created" });
  if (funded > 0n) await topUp(q, id, funded);
  return id;
}

export async function newDeveloper(q: Queryable): Promise<string> {
  const developerId = uniqueId("dev");
  const id = accountIds.developer(developerId);
  expect(await ensureAccount(q, { id, kind: "developer", ownerId: developerId })).toEqual({ result: "created" });
  return id;
}

export async function topUp(q: Queryable, accountId: string, amount: bigint): Promise<void> {
  const result = await createTransfer(q, {
    kind: "posted",
    id: uniqueId("topup"),
    debitAccountId: PLATFORM_ACCOUNTS.externalFunding,
    creditAccountId: accountId,
    amount,
    code: TRANSFER_CODES.testCredit,
  });
  expect(result.result).toBe("created");
}

/** Fails the test with the whole report when an invariant is broken. */
export async function expectReconciled(q: Queryable): Promise<void> {
  const report = await reconcile(q);
  expect(report, "reconcile report").toMatchObject({
    ok: true,
    mismatches: [],
    negative: [],
    pendingProblems: [],
  });
}

/** The stored row alone, without deferred deltas. */
export async function storedRow(q: Queryable, accountId: string) {
  const { rows } = await q.query<Record<string, string>>(
    `SELECT debits_posted, credits_posted, debits_pending, credits_pending FROM ledger_accounts WHERE id = $1`,
    [accountId],
  );
  const row = rows[0];
  if (!row) throw new Error(`no account ${accountId}`);
  return {
    debitsPosted: BigInt(row.debits_posted!),
    creditsPosted: BigInt(row.credits_posted!),
    debitsPending: BigInt(row.debits_pending!),
    creditsPending: BigInt(row.credits_pending!),
  };
}

/** A request's hold: `amount` of the user's money reserved in usage clearing. */
export function usageHold(user: string, amount: bigint, id = uniqueId("hold")): PendingTransferInput {
  return {
    kind: "pending",
    id,
    debitAccountId: user,
    creditAccountId: PLATFORM_ACCOUNTS.usageClearing,
    amount,
    code: TRANSFER_CODES.usageHold,
    timeoutSeconds: 300,
  };
}

/** A settlement's split of `amount` out of usage clearing: half provider cost, half the developer's. */
export function usageSplit(developer: string, amount: bigint): PostedTransferInput[] {
  return [
    {
      kind: "posted",
      id: uniqueId("cost"),
      debitAccountId: PLATFORM_ACCOUNTS.usageClearing,
      creditAccountId: PLATFORM_ACCOUNTS.providerCost,
      amount: amount / 2n,
      code: TRANSFER_CODES.usageProviderCost,
      metadata: { part: "cost" },
    },
    {
      kind: "posted",
      id: uniqueId("dev"),
      debitAccountId: PLATFORM_ACCOUNTS.usageClearing,
      creditAccountId: developer,
      amount: amount - amount / 2n,
      code: TRANSFER_CODES.usageDeveloperShare,
    },
  ];
}
