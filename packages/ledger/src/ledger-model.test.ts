// Model-based test: random sequences of transfers, holds, posts (partial),
// voids, settlements, retries, expiries and folds, each checked against a
// small in-memory model, with every invariant checked after every step.
import type { Database, Queryable } from "@modelfaucet/db";
import { createTestDatabase } from "@modelfaucet/db/testing";
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { PLATFORM_ACCOUNTS } from "./registry/account-ids.js";
import { TRANSFER_CODES } from "./registry/transfer-codes.js";
import { applyDeferredBalances } from "./apply-deferred-balances.js";
import { createTransfers } from "./create-transfers.js";
import { expirePendingTransfers } from "./expire-pending-transfers.js";
import { getBalance } from "./get-balance.js";
import { expectReconciled, newDeveloper, newUser, storedRow, uniqueId } from "./testing/index.js";
import type { TransferInput } from "./transfer-input.js";
import type { CreateTransferResultCode } from "./transfer-result.js";

let db: Database;
beforeAll(async () => {
  ({ db } = await createTestDatabase());
});
afterAll(async () => {
  await db.close();
});

interface Totals {
  dp: bigint;
  cp: bigint;
  dpend: bigint;
  cpend: bigint;
}
interface Hold {
  debit: string;
  credit: string;
  amount: bigint;
  expiresAtMs: number;
  status: "pending" | "post_pending" | "void_pending" | "expire_pending";
}

type Op =
  | { t: "topUp"; user: number; amount: bigint }
  | { t: "move"; from: number; to: number; amount: bigint }
  | { t: "hold"; from: number; amount: bigint; timeoutSeconds: number }
  | { t: "post"; hold: number; amount: bigint | null }
  | { t: "void"; hold: number }
  | { t: "settle"; hold: number; amount: bigint; cost: bigint; share: bigint }
  | { t: "retry"; index: number; tweak: boolean }
  | { t: "expire"; advanceSeconds: number; limit: number }
  | { t: "apply"; limit: number };

const amount = fc.bigInt({ min: 1n, max: 400n });
// Weighted so that most sequences hold, post and settle on funded accounts.
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ t: fc.constant("topUp" as const), user: fc.nat(2), amount }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("move" as const), from: fc.nat(9), to: fc.nat(9), amount }) },
  {
    weight: 5,
    arbitrary: fc.record({
      t: fc.constant("hold" as const),
      from: fc.nat(3),
      amount,
      timeoutSeconds: fc.integer({ min: 1, max: 120 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ t: fc.constant("post" as const), hold: fc.nat(), amount: fc.option(amount, { nil: null }) }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("void" as const), hold: fc.nat() }) },
  {
    weight: 3,
    arbitrary: fc.record({ t: fc.constant("settle" as const), hold: fc.nat(), amount, cost: amount, share: amount }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("retry" as const), index: fc.nat(), tweak: fc.boolean() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant("expire" as const),
      advanceSeconds: fc.integer({ min: 0, max: 90 }),
      limit: fc.integer({ min: 1, max: 3 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant("apply" as const),
      limit: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.constant(10_000)),
    }),
  },
);
const funding = fc.array(fc.bigInt({ min: 0n, max: 1500n }), { minLength: 3, maxLength: 3 });

let clockMs = Date.parse("2031-01-01T00:00:00Z");

it("matches the model and keeps every invariant after every step", async () => {
  await fc.assert(
    fc.asyncProperty(funding, fc.array(op, { minLength: 1, maxLength: 40, size: "max" }), async (funds, ops) => {
      // Each run in a transaction rolled back at the end: runs start from the
      // same ledger, so a counterexample shrinks to the steps that matter.
      await db
        .transaction(async (tx) => {
          await runSequence(tx, funds, ops);
          throw ROLLBACK;
        })
        .catch((error: unknown) => {
          if (error !== ROLLBACK) throw error;
        });
    }),
    // LEDGER_MODEL_RUNS=400 for a deeper search (about a minute on PGlite).
    { numRuns: Number(process.env.LEDGER_MODEL_RUNS ?? 40) },
  );
}, 120_000);

const ROLLBACK = new Error("rollback");

async function runSequence(db: Queryable, funds: bigint[], ops: Op[]): Promise<void> {
  const users = await Promise.all(funds.map((funded) => newUser(db, funded)));
  const developer = await newDeveloper(db);
  const p = PLATFORM_ACCOUNTS;
  // 0-2 users, 3 developer, then the platform accounts.
  const accounts = [
    ...users,
    developer,
    p.usageClearing,
    p.providerCost,
    p.revenue,
    p.externalFunding,
    p.payoutsClearing,
    p.receivable,
  ];
  const constrained = new Set([...users, developer]);
  const model = new Map<string, Totals>();
  for (const id of accounts) {
    const b = (await getBalance(db, id))!;
    model.set(id, { dp: b.debitsPosted, cp: b.creditsPosted, dpend: b.debitsPending, cpend: b.creditsPending });
  }
  const holds = new Map<string, Hold>();
  const holdIds: string[] = [];
  const created: { input: TransferInput; nowMs: number }[] = [];

  const totals = (id: string) => model.get(id)!;
  const bump = (id: string, change: Partial<Totals>) => {
    const t = totals(id);
    model.set(id, {
      dp: t.dp + (change.dp ?? 0n),
      cp: t.cp + (change.cp ?? 0n),
      dpend: t.dpend + (change.dpend ?? 0n),
      cpend: t.cpend + (change.cpend ?? 0n),
    });
  };
  // The ledger checks an overdraft against the STORED posted credits.
  const wouldOverdraw = async (id: string, extra: bigint) =>
    constrained.has(id) && totals(id).dp + totals(id).dpend + extra > (await storedRow(db, id)).creditsPosted;
  const holdAt = (index: number) => (holdIds.length === 0 ? "no-such-hold" : holdIds[index % holdIds.length]!);

  const send = async (inputs: TransferInput[], expected: CreateTransferResultCode[]) => {
    const results = await createTransfers(db, inputs, { now: new Date(clockMs) });
    expect(results.map((r) => r.result)).toEqual(expected);
    if (expected.every((code) => code === "created")) {
      for (const input of inputs) created.push({ input, nowMs: clockMs });
    }
    return expected.every((code) => code === "created");
  };

  const resolution = (pendingId: string, kind: "post_pending" | "void_pending", postAmount: bigint | null) => {
    const h = holds.get(pendingId);
    const input: TransferInput =
      kind === "post_pending"
        ? { kind, id: uniqueId("post"), pendingId, ...(postAmount === null ? {} : { amount: postAmount }) }
        : { kind, id: uniqueId("void"), pendingId };
    return { input, hold: h, code: resolutionCode(h, postAmount) };
  };

  const applyResolution = (pendingId: string, kind: Hold["status"], posted: bigint) => {
    const h = holds.get(pendingId)!;
    h.status = kind;
    bump(h.debit, { dp: posted, dpend: -h.amount });
    bump(h.credit, { cp: posted, cpend: -h.amount });
  };

  for (const o of ops) {
    switch (o.t) {
      case "topUp": {
        const input: TransferInput = {
          kind: "posted",
          id: uniqueId("top"),
          debitAccountId: p.externalFunding,
          creditAccountId: users[o.user]!,
          amount: o.amount,
          code: TRANSFER_CODES.testCredit,
        };
        if (await send([input], ["created"])) {
          bump(p.externalFunding, { dp: o.amount });
          bump(users[o.user]!, { cp: o.amount });
        }
        break;
      }
      case "move": {
        const from = accounts[o.from]!;
        const to = accounts[o.to]!;
        const input: TransferInput = {
          kind: "posted",
          id: uniqueId("move"),
          debitAccountId: from,
          creditAccountId: to,
          amount: o.amount,
          code: TRANSFER_CODES.adjustment,
        };
        const code =
          from === to
            ? "accounts_must_be_different"
            : (await wouldOverdraw(from, o.amount))
              ? "exceeds_credits"
              : "created";
        if (await send([input], [code])) {
          bump(from, { dp: o.amount });
          bump(to, { cp: o.amount });
        }
        break;
      }
      case "hold": {
        const from = accounts[o.from]!;
        const id = uniqueId("hold");
        const input: TransferInput = {
          kind: "pending",
          id,
          debitAccountId: from,
          creditAccountId: p.usageClearing,
          amount: o.amount,
          code: TRANSFER_CODES.usageHold,
          timeoutSeconds: o.timeoutSeconds,
        };
        if (await send([input], [(await wouldOverdraw(from, o.amount)) ? "exceeds_credits" : "created"])) {
          holds.set(id, {
            debit: from,
            credit: p.usageClearing,
            amount: o.amount,
            expiresAtMs: clockMs + o.timeoutSeconds * 1000,
            status: "pending",
          });
          holdIds.push(id);
          bump(from, { dpend: o.amount });
          bump(p.usageClearing, { cpend: o.amount });
        }
        break;
      }
      case "post":
      case "void": {
        const pendingId = holdAt(o.hold);
        const kind = o.t === "post" ? "post_pending" : "void_pending";
        const postAmount = o.t === "post" ? o.amount : null;
        const r = resolution(pendingId, kind, postAmount);
        if (await send([r.input], [r.code]))
          applyResolution(pendingId, kind, kind === "post_pending" ? (postAmount ?? r.hold!.amount) : 0n);
        break;
      }
      case "settle": {
        const pendingId = holdAt(o.hold);
        const r = resolution(pendingId, "post_pending", o.amount);
        // Split what is posted: cost, developer share, the rest to revenue; zero parts left out.
        const cost = o.cost < o.amount ? o.cost : o.amount;
        const share = o.share < o.amount - cost ? o.share : o.amount - cost;
        const rest = o.amount - cost - share;
        const parts = (
          [
            [p.providerCost, cost],
            [developer, share],
            [p.revenue, rest],
          ] as const
        ).filter(([, a]) => a > 0n);
        const inputs: TransferInput[] = [
          r.input,
          ...parts.map(([to, a]): TransferInput => ({
            kind: "posted",
            id: uniqueId("split"),
            debitAccountId: p.usageClearing,
            creditAccountId: to,
            amount: a,
            code: TRANSFER_CODES.usagePlatformShare,
          })),
        ];
        const expected =
          r.code === "created"
            ? inputs.map(() => "created" as const)
            : [r.code, ...parts.map(() => "linked_event_failed" as const)];
        if (await send(inputs, expected)) {
          applyResolution(pendingId, "post_pending", o.amount);
          for (const [to, a] of parts) {
            bump(p.usageClearing, { dp: a });
            bump(to, { cp: a });
          }
        }
        break;
      }
      case "retry": {
        const original = created.length === 0 ? undefined : created[o.index % created.length]!;
        if (!original) break;
        const input = o.tweak ? { ...original.input, metadata: { tweaked: true } } : original.input;
        const results = await createTransfers(db, [input], { now: new Date(original.nowMs) });
        expect(results.map((r) => r.result)).toEqual([o.tweak ? "exists_with_different_fields" : "exists"]);
        break;
      }
      case "expire": {
        clockMs += o.advanceSeconds * 1000;
        const eligible = [...holds]
          .filter(([, h]) => h.status === "pending" && h.expiresAtMs <= clockMs)
          .map(([id]) => id);
        const { pendingIds } = await expirePendingTransfers(db, { now: new Date(clockMs), limit: o.limit });
        expect(pendingIds.length).toBe(Math.min(o.limit, eligible.length));
        for (const id of pendingIds) {
          expect(eligible).toContain(id);
          applyResolution(id, "expire_pending", 0n);
        }
        break;
      }
      case "apply": {
        const { busy } = await applyDeferredBalances(db, { limit: o.limit });
        expect(busy).toBe(false);
        break;
      }
    }
    await checkInvariants();
  }

  // Finally every hold expires and every delta is folded.
  clockMs += 31 * 24 * 3600 * 1000;
  await expirePendingTransfers(db, { now: new Date(clockMs), limit: 10_000 });
  await applyDeferredBalances(db, { limit: 100_000 });
  await expectReconciled(db);
  for (const id of constrained) expect(await getBalance(db, id)).toMatchObject({ debitsPending: 0n });

  async function checkInvariants() {
    await expectReconciled(db);
    for (const id of accounts) {
      const m = totals(id);
      const b = (await getBalance(db, id))!;
      expect({ id, dp: b.debitsPosted, cp: b.creditsPosted, dpend: b.debitsPending, cpend: b.creditsPending }).toEqual({
        id,
        ...m,
      });
      if (!constrained.has(id)) continue;
      expect(b.available).toBeGreaterThanOrEqual(0n);
      const stored = await storedRow(db, id);
      // Debits of constrained accounts are never deferred; credits only for developers.
      expect([stored.debitsPosted, stored.debitsPending]).toEqual([m.dp, m.dpend]);
      if (id === developer) expect(stored.creditsPosted <= m.cp).toBe(true);
      else expect(stored.creditsPosted).toBe(m.cp);
    }
  }
}

function resolutionCode(hold: Hold | undefined, postAmount: bigint | null): CreateTransferResultCode {
  if (!hold) return "pending_not_found";
  if (hold.status === "post_pending") return "already_posted";
  if (hold.status === "void_pending") return "already_voided";
  if (hold.status === "expire_pending") return "already_expired";
  if (postAmount !== null && postAmount > hold.amount) return "exceeds_pending_amount";
  return "created";
}
