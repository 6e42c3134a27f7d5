import type { Database } from "@modelfaucet/db";
import { createTestDatabase } from "@modelfaucet/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PLATFORM_ACCOUNTS } from "./registry/account-ids.js";
import { TRANSFER_CODES, type TransferCode } from "./registry/transfer-codes.js";
import { applyDeferredBalances } from "./apply-deferred-balances.js";
import { createTransfer, createTransfers, postPending, voidPending } from "./create-transfers.js";
import { ensureAccount } from "./ensure-account.js";
import { expirePendingTransfers } from "./expire-pending-transfers.js";
import { getBalance } from "./get-balance.js";
import { listTransfers } from "./list-transfers.js";
import { expectReconciled, newDeveloper, newUser, storedRow, uniqueId } from "./testing/index.js";
import type { PendingTransferInput, PostedTransferInput, TransferInput } from "./transfer-input.js";

const { usageClearing, providerCost, revenue, payoutsClearing } = PLATFORM_ACCOUNTS;

let db: Database;
beforeAll(async () => {
  ({ db } = await createTestDatabase());
});
afterAll(async () => {
  await expectReconciled(db);
  await db.close();
});

function hold(user: string, amount: bigint, id = uniqueId("hold")): PendingTransferInput & { timeoutSeconds: number } {
  return {
    kind: "pending",
    id,
    debitAccountId: user,
    creditAccountId: usageClearing,
    amount,
    code: TRANSFER_CODES.usageHold,
    timeoutSeconds: 600,
  };
}

function spend(user: string, amount: bigint, id = uniqueId("spend")): PostedTransferInput {
  return {
    kind: "posted",
    id,
    debitAccountId: user,
    creditAccountId: usageClearing,
    amount,
    code: TRANSFER_CODES.usageHold,
  };
}

describe("posted transfers", () => {
  it("is idempotent: the same id and fields answer exists with the original, and move nothing", async () => {
    const user = await newUser(db, 1000n);
    const input = spend(user, 300n);
    const first = await createTransfer(db, input);
    expect(first.result).toBe("created");
    const again = await createTransfer(db, input);
    expect(again).toEqual({ id: input.id, result: "exists", transfer: first.result === "created" && first.transfer });
    expect((await getBalance(db, user))?.balance).toBe(700n);
  });

  it("refuses the same id with a different amount", async () => {
    const user = await newUser(db, 1000n);
    const input = spend(user, 300n);
    await createTransfer(db, input);
    expect(await createTransfer(db, { ...input, amount: 301n })).toEqual({
      id: input.id,
      result: "exists_with_different_fields",
    });
    expect((await getBalance(db, user))?.balance).toBe(700n);
  });

  it("refuses an overdraft and leaves the balance alone", async () => {
    const user = await newUser(db, 1000n);
    expect((await createTransfer(db, spend(user, 1001n))).result).toBe("exceeds_credits");
    expect((await createTransfer(db, spend(user, 1000n))).result).toBe("created");
    expect((await createTransfer(db, spend(user, 1n))).result).toBe("exceeds_credits");
    expect(await getBalance(db, user)).toMatchObject({ balance: 0n, available: 0n });
  });

  it("refuses malformed transfers", async () => {
    const user = await newUser(db, 10n);
    const cases: [TransferInput, string][] = [
      [spend(user, 0n), "amount_must_be_positive"],
      [spend(user, -5n), "amount_must_be_positive"],
      [spend(user, 10n ** 31n), "amount_exceeds_maximum"],
      [{ ...spend(user, 1n), creditAccountId: user }, "accounts_must_be_different"],
      [{ ...spend(user, 1n), creditAccountId: "user:nobody" }, "account_not_found"],
      [{ ...spend(user, 1n), code: "Not A Code" as TransferCode }, "invalid_code"],
      [{ ...spend(user, 1n), id: "" }, "invalid_id"],
      [{ ...spend(user, 1n), id: "expire:x" }, "invalid_id"],
      [{ ...spend(user, 1n), requestId: "bad\nid" }, "invalid_request_id"],
      [{ ...hold(user, 1n), timeoutSeconds: 0 }, "invalid_expiry"],
      [{ ...hold(user, 1n), timeoutSeconds: 1.5 }, "invalid_expiry"],
      [{ ...spend(user, 1n), kind: "pending", expiresAt: new Date(Date.now() - 1000) }, "invalid_expiry"],
    ];
    for (const [input, code] of cases) expect((await createTransfer(db, input)).result, code).toBe(code);
    expect((await getBalance(db, user))?.balance).toBe(10n);
  });
});

describe("holds", () => {
  it("counts pending debits against the balance", async () => {
    const user = await newUser(db, 1000n);
    expect((await createTransfer(db, hold(user, 600n))).result).toBe("created");
    expect((await createTransfer(db, hold(user, 401n))).result).toBe("exceeds_credits");
    expect(await getBalance(db, user)).toMatchObject({ balance: 1000n, debitsPending: 600n, available: 400n });
  });

  it("posts part of a hold and releases the rest", async () => {
    const user = await newUser(db, 1000n);
    const h = hold(user, 600n);
    await createTransfer(db, h);
    const posted = await postPending(db, { id: uniqueId("post"), pendingId: h.id, amount: 250n });
    expect(posted).toMatchObject({ result: "posted", transfer: { kind: "post_pending", amount: 250n } });
    expect(await getBalance(db, user)).toMatchObject({ balance: 750n, debitsPending: 0n, available: 750n });
  });

  it("posts the whole hold when no amount is given, inheriting its code", async () => {
    const user = await newUser(db, 1000n);
    const h = hold(user, 600n);
    await createTransfer(db, h);
    const posted = await postPending(db, { id: uniqueId("post"), pendingId: h.id });
    expect(posted).toMatchObject({ result: "posted", transfer: { amount: 600n, code: "usage_hold" } });
  });

  it("refuses a double post, a post after void, a void after post, and posting more than held", async () => {
    const user = await newUser(db, 1000n);
    const a = hold(user, 300n);
    const b = hold(user, 300n);
    await createTransfers(db, [a, b]);

    expect((await postPending(db, { id: uniqueId("post"), pendingId: a.id, amount: 301n })).result).toBe(
      "exceeds_pending_amount",
    );
    const postA = { id: uniqueId("post"), pendingId: a.id, amount: 100n };
    expect((await postPending(db, postA)).result).toBe("posted");
    expect((await postPending(db, postA)).result).toBe("exists");
    expect((await postPending(db, { ...postA, amount: 99n })).result).toBe("exists_with_different_fields");
    expect((await postPending(db, { id: uniqueId("post"), pendingId: a.id })).result).toBe("already_posted");
    expect((await voidPending(db, { id: uniqueId("void"), pendingId: a.id })).result).toBe("already_posted");

    expect((await voidPending(db, { id: uniqueId("void"), pendingId: b.id })).result).toBe("voided");
    expect((await postPending(db, { id: uniqueId("post"), pendingId: b.id })).result).toBe("already_voided");
    expect((await voidPending(db, { id: uniqueId("void"), pendingId: b.id })).result).toBe("already_voided");

    expect(await getBalance(db, user)).toMatchObject({ balance: 900n, debitsPending: 0n });
  });

  it("refuses to resolve what is not a hold", async () => {
    const user = await newUser(db, 1000n);
    const s = spend(user, 1n);
    await createTransfer(db, s);
    expect((await postPending(db, { id: uniqueId("post"), pendingId: s.id })).result).toBe(
      "pending_transfer_not_pending",
    );
    expect((await voidPending(db, { id: uniqueId("void"), pendingId: "no-such-hold" })).result).toBe(
      "pending_not_found",
    );
    const selfRef = uniqueId("self");
    expect((await voidPending(db, { id: selfRef, pendingId: selfRef })).result).toBe("pending_id_must_be_different");
  });

  it("expires holds past their expiry exactly once; a late post then answers already_expired", async () => {
    const user = await newUser(db, 1000n);
    const t0 = new Date("2030-01-01T00:00:00Z");
    const h = hold(user, 500n);
    await createTransfer(db, h, { now: t0 });
    expect(
      (await expirePendingTransfers(db, { now: new Date(t0.getTime() + 599_000), limit: 100 })).pendingIds,
    ).not.toContain(h.id);
    const swept = await expirePendingTransfers(db, { now: new Date(t0.getTime() + 600_000), limit: 100 });
    expect(swept.pendingIds).toContain(h.id);
    expect(
      (await expirePendingTransfers(db, { now: new Date(t0.getTime() + 700_000), limit: 100 })).pendingIds,
    ).not.toContain(h.id);
    expect((await postPending(db, { id: uniqueId("post"), pendingId: h.id })).result).toBe("already_expired");
    expect(await getBalance(db, user)).toMatchObject({ balance: 1000n, available: 1000n });
  });

  it("answers exists for a retried hold even after its absolute expiry has passed", async () => {
    const user = await newUser(db, 1000n);
    const { timeoutSeconds: _timeout, ...rest } = hold(user, 5n);
    const h: TransferInput = { ...rest, expiresAt: new Date(Date.now() + 60_000) };
    expect((await createTransfer(db, h)).result).toBe("created");
    expect((await createTransfer(db, h, { now: new Date(Date.now() + 120_000) })).result).toBe("exists");
  });
});

describe("batches", () => {
  it("are all or nothing", async () => {
    const user = await newUser(db, 100n);
    const ok = spend(user, 10n);
    const results = await createTransfers(db, [ok, spend(user, 0n)]);
    expect(results.map((r) => r.result)).toEqual(["linked_event_failed", "amount_must_be_positive"]);
    expect((await createTransfer(db, ok)).result).toBe("created");
  });

  it("undo their claims when a later transfer overdraws", async () => {
    const user = await newUser(db, 100n);
    const h = hold(user, 60n);
    await createTransfer(db, h);
    const results = await createTransfers(db, [
      { kind: "post_pending", id: uniqueId("post"), pendingId: h.id },
      spend(user, 41n),
    ]);
    expect(results.map((r) => r.result)).toEqual(["linked_event_failed", "exceeds_credits"]);
    expect(await getBalance(db, user)).toMatchObject({ balance: 100n, debitsPending: 60n });
    expect((await postPending(db, { id: uniqueId("post"), pendingId: h.id })).result).toBe("posted");
  });

  it("refuse a repeated id within one batch", async () => {
    const user = await newUser(db, 100n);
    const s = spend(user, 1n);
    expect((await createTransfers(db, [s, s])).map((r) => r.result)).toEqual([
      "linked_event_failed",
      "duplicate_id_in_batch",
    ]);
  });

  it("settle a request: post the hold to clearing and split clearing, deferred on the shared accounts", async () => {
    const user = await newUser(db, 10_000n);
    const developer = await newDeveloper(db);
    const h = hold(user, 1000n);
    await createTransfer(db, h);
    const settle = (suffix: string): TransferInput[] => [
      { kind: "post_pending", id: `${h.id}:post${suffix}`, pendingId: h.id, amount: 700n },
      {
        kind: "posted",
        id: `${h.id}:cost${suffix}`,
        debitAccountId: usageClearing,
        creditAccountId: providerCost,
        amount: 500n,
        code: TRANSFER_CODES.usageProviderCost,
      },
      {
        kind: "posted",
        id: `${h.id}:dev${suffix}`,
        debitAccountId: usageClearing,
        creditAccountId: developer,
        amount: 120n,
        code: TRANSFER_CODES.usageDeveloperShare,
      },
      {
        kind: "posted",
        id: `${h.id}:rev${suffix}`,
        debitAccountId: usageClearing,
        creditAccountId: revenue,
        amount: 80n,
        code: TRANSFER_CODES.usagePlatformShare,
      },
    ];
    const before = { cost: await getBalance(db, providerCost), rev: await getBalance(db, revenue) };
    const results = await createTransfers(db, settle(""));
    expect(results.map((r) => r.result)).toEqual(["created", "created", "created", "created"]);
    expect((await createTransfers(db, settle(""))).map((r) => r.result)).toEqual([
      "exists",
      "exists",
      "exists",
      "exists",
    ]);

    expect(await getBalance(db, user)).toMatchObject({ balance: 9300n, available: 9300n });
    expect(await getBalance(db, developer)).toMatchObject({ balance: 120n });
    expect((await getBalance(db, providerCost))!.balance - before.cost!.balance).toBe(500n);
    expect((await getBalance(db, revenue))!.balance - before.rev!.balance).toBe(80n);
    // The user's row is exact at once; the developer's credit waits in a delta...
    expect(await storedRow(db, user)).toMatchObject({ debitsPosted: 700n, debitsPending: 0n });
    expect(await storedRow(db, developer)).toMatchObject({ creditsPosted: 0n });
    await expectReconciled(db);
    // ...until the worker folds it.
    while (!(await applyDeferredBalances(db, { limit: 1000 })).busy && (await pendingDeltas()) > 0);
    expect(await storedRow(db, developer)).toMatchObject({ creditsPosted: 120n });
    await expectReconciled(db);
  });

  it("let a developer spend only credits already folded (conservative, never overdrawn)", async () => {
    const developer = await newDeveloper(db);
    const user = await newUser(db, 500n);
    await createTransfers(db, [
      spend(user, 200n),
      {
        kind: "posted",
        id: uniqueId("share"),
        debitAccountId: usageClearing,
        creditAccountId: developer,
        amount: 200n,
        code: TRANSFER_CODES.usageDeveloperShare,
      },
    ]);
    const payout = {
      kind: "posted" as const,
      id: uniqueId("payout"),
      debitAccountId: developer,
      creditAccountId: payoutsClearing,
      amount: 200n,
      code: TRANSFER_CODES.payout,
    };
    expect((await createTransfer(db, payout)).result).toBe("exceeds_credits");
    await applyDeferredBalances(db, { limit: 100_000 });
    expect((await createTransfer(db, payout)).result).toBe("created");
    expect(await getBalance(db, developer)).toMatchObject({ balance: 0n, available: 0n });
  });
});

describe("accounts and history", () => {
  it("ensureAccount is idempotent and refuses a clash", async () => {
    const id = `user:${uniqueId("usr")}`;
    expect(await ensureAccount(db, { id, kind: "end_user" })).toEqual({ result: "created" });
    expect(await ensureAccount(db, { id, kind: "end_user" })).toEqual({ result: "exists" });
    expect(await ensureAccount(db, { id, kind: "end_user", ownerId: "x" })).toEqual({
      result: "exists_with_different_fields",
    });
    expect(await ensureAccount(db, { id, kind: "developer" })).toEqual({ result: "invalid_id" });
    expect(await ensureAccount(db, { id: PLATFORM_ACCOUNTS.revenue, kind: "platform_revenue" })).toEqual({
      result: "exists",
    });
    expect(await getBalance(db, "user:nobody")).toBeNull();
  });

  it("lists an account's transfers newest first, page by page", async () => {
    const user = await newUser(db, 100n);
    for (let i = 0; i < 4; i++) await createTransfer(db, spend(user, 1n, `${user}:spend${i}`));
    const first = await listTransfers(db, user, { limit: 3 });
    expect(first.map((t) => t.id)).toEqual([`${user}:spend3`, `${user}:spend2`, `${user}:spend1`]);
    const second = await listTransfers(db, user, { limit: 3, before: first.at(-1)!.id });
    expect(second.map((t) => t.id)).toEqual([`${user}:spend0`, expect.stringMatching(/^topup_/)]);
  });
});

async function pendingDeltas(): Promise<number> {
  const { rows } = await db.query<{ n: string }>("SELECT count(*) AS n FROM ledger_balance_deltas");
  return Number(rows[0]!.n);
}
