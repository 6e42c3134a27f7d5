// Model-based test of the fast path: random sequences mixing createHold /
// resolveHold (with and without a companion write) with the batch path
// (createTransfers), retries, the sweeper and the fold worker. Every step
// must give the batch path's result codes, and after every step reconcile,
// every balance and the companion rows are checked against a small model.
import type { Database } from "@modelfaucet/db";
import { createTestDatabase } from "@modelfaucet/db/testing";
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { PLATFORM_ACCOUNTS } from "./registry/account-ids.js";
import { TRANSFER_CODES } from "./registry/transfer-codes.js";
import { applyDeferredBalances } from "./apply-deferred-balances.js";
import { createHold } from "./create-hold.js";
import { createTransfers } from "./create-transfers.js";
import { expirePendingTransfers } from "./expire-pending-transfers.js";
import { getBalance } from "./get-balance.js";
import { resolveHold } from "./resolve-hold.js";
import { expectReconciled, newDeveloper, newUser, storedRow, uniqueId } from "./testing/index.js";
import type {
  PendingTransferInput,
  PostedTransferInput,
  PostPendingInput,
  TransferInput,
  VoidPendingInput,
} from "./transfer-input.js";
import type { CreateTransferResult, CreateTransferResultCode } from "./transfer-result.js";

let db: Database;
beforeAll(async () => {
  ({ db } = await createTestDatabase());
  // Stands in for the gateway's usage events: a write that must commit with a settlement, and only with it.
  await db.query("CREATE TABLE fast_path_companion (id text PRIMARY KEY)");
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
  amount: bigint;
  expiresAtMs: number;
  status: "pending" | "post_pending" | "void_pending" | "expire_pending";
}
/** A call that created transfers, to be retried. */
interface Sent {
  hold?: PendingTransferInput;
  resolution?: PostPendingInput | VoidPendingInput;
  transfers: PostedTransferInput[];
  nowMs: number;
}

type Op =
  | { t: "topUp"; user: number; amount: bigint }
  | { t: "hold"; from: number; amount: bigint; timeoutSeconds: number; fast: boolean }
  | { t: "settle"; hold: number; amount: bigint; cost: bigint; share: bigint; fast: boolean; companion: boolean }
  | { t: "void"; hold: number; fast: boolean; companion: boolean }
  | { t: "retry"; index: number; tweak: boolean; fast: boolean; companion: boolean }
  | { t: "expire"; advanceSeconds: number; limit: number }
  | { t: "apply"; limit: number };

const amount = fc.bigInt({ min: 1n, max: 400n });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ t: fc.constant("topUp" as const), user: fc.nat(2), amount }) },
  {
    weight: 5,
    arbitrary: fc.record({
      t: fc.constant("hold" as const),
      // 0-2 users, 3 the developer, 4 a platform account (unconstrained debit).
      from: fc.nat(4),
      amount,
      timeoutSeconds: fc.integer({ min: 1, max: 120 }),
      fast: fc.boolean(),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant("settle" as const),
      hold: fc.nat(),
      amount,
      cost: amount,
      share: amount,
      fast: fc.boolean(),
      companion: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant("void" as const),
      hold: fc.nat(),
      fast: fc.boolean(),
      companion: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant("retry" as const),
      index: fc.nat(),
      tweak: fc.boolean(),
      fast: fc.boolean(),
      companion: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant("expire" as const),
      advanceSeconds: fc.integer({ min: 0, max: 90 }),
      limit: fc.integer({ min: 1, max: 3 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant("apply" as const),
      limit: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.constant(10_000)),
    }),
  },
);
const funding = fc.array(fc.bigInt({ min: 0n, max: 1500n }), { minLength: 3, maxLength: 3 });

let clockMs = Date.parse("2032-01-01T00:00:00Z");

it("gives the batch path's results and keeps every invariant after every step", async () => {
  await fc.assert(
    fc.asyncProperty(funding, fc.array(op, { minLength: 1, maxLength: 30, size: "max" }), runSequence),
    // The fast path needs the Database (no enclosing transaction): runs share one ledger, on fresh accounts.
    { numRuns: Number(process.env.LEDGER_MODEL_RUNS ?? 30) },
  );
}, 180_000);

async function runSequence(funds: bigint[], ops: Op[]): Promise<void> {
  const users = await Promise.all(funds.map((funded) => newUser(db, funded)));
  const developer = await newDeveloper(db);
  const p = PLATFORM_ACCOUNTS;
  const debitors = [...users, developer, p.receivable];
  const accounts = [...users, developer, p.usageClearing, p.providerCost, p.revenue, p.externalFunding, p.receivable];
  const constrained = new Set([...users, developer]);
  const model = new Map<string, Totals>();
  for (const id of accounts) {
    const b = (await getBalance(db, id))!;
    model.set(id, { dp: b.debitsPosted, cp: b.creditsPosted, dpend: b.debitsPending, cpend: b.creditsPending });
  }
  const holds = new Map<string, Hold>();
  const holdIds: string[] = [];
  const sent: Sent[] = [];
  const companions = new Set<string>();
  const runTag = uniqueId("run");

  const bump = (id: string, change: Partial<Totals>) => {
    const t = model.get(id)!;
    model.set(id, {
      dp: t.dp + (change.dp ?? 0n),
      cp: t.cp + (change.cp ?? 0n),
      dpend: t.dpend + (change.dpend ?? 0n),
      cpend: t.cpend + (change.cpend ?? 0n),
    });
  };
  const wouldOverdraw = async (id: string, extra: bigint) =>
    constrained.has(id) && model.get(id)!.dp + model.get(id)!.dpend + extra > (await storedRow(db, id)).creditsPosted;
  const holdAt = (index: number) => (holdIds.length === 0 ? "no-such-hold" : holdIds[index % holdIds.length]!);

  /** Sends a hold by either path; checks the codes. */
  const sendHold = async (input: PendingTransferInput, fast: boolean, nowMs: number) => {
    const now = new Date(nowMs);
    if (!fast) return createTransfers(db, [input], { now });
    const counted = countingCalls(db);
    const result = await createHold(counted.db, input, { now });
    // A new hold the balance covers is the common case: one statement, not the batch path.
    if (result.result === "created" && constrained.has(input.debitAccountId)) expect(counted.calls()).toBe(1);
    return [result];
  };
  /** Sends a resolution and its transfers by either path, maybe with a companion row; checks atomicity. */
  const sendResolution = async (
    resolution: PostPendingInput | VoidPendingInput,
    transfers: PostedTransferInput[],
    fast: boolean,
    companion: boolean,
    nowMs: number,
  ): Promise<CreateTransferResult[]> => {
    const now = new Date(nowMs);
    const companionId = `${runTag}:${uniqueId("companion")}`;
    const write = { sql: "INSERT INTO fast_path_companion (id) VALUES ($1)", params: [companionId] };
    const counted = countingCalls(db);
    const results = fast
      ? await resolveHold(counted.db, resolution, transfers, { now, ...(companion ? { companion: write } : {}) })
      : await createTransfers(db, [resolution, ...transfers], { now });
    // A new resolution of an open hold is the common case: one statement, companion included.
    if (fast && results[0]?.result === "created") expect(counted.calls()).toBe(1);
    const applied = results.every((r) => r.result === "created" || r.result === "exists");
    if (fast && companion && applied) companions.add(companionId);
    return results;
  };
  const expectCodes = (results: CreateTransferResult[], expected: CreateTransferResultCode[]) =>
    expect(results.map((r) => r.result)).toEqual(expected);

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
        expectCodes(await createTransfers(db, [input]), ["created"]);
        bump(p.externalFunding, { dp: o.amount });
        bump(users[o.user]!, { cp: o.amount });
        break;
      }
      case "hold": {
        const from = debitors[o.from]!;
        const input: PendingTransferInput = {
          kind: "pending",
          id: uniqueId("hold"),
          debitAccountId: from,
          creditAccountId: p.usageClearing,
          amount: o.amount,
          code: TRANSFER_CODES.usageHold,
          requestId: uniqueId("req"),
          timeoutSeconds: o.timeoutSeconds,
        };
        const code = (await wouldOverdraw(from, o.amount)) ? "exceeds_credits" : "created";
        const results = await sendHold(input, o.fast, clockMs);
        expectCodes(results, [code]);
        if (code !== "created") break;
        expect(results[0]).toMatchObject({
          transfer: { id: input.id, amount: o.amount, timeoutSeconds: o.timeoutSeconds },
        });
        sent.push({ hold: input, transfers: [], nowMs: clockMs });
        holds.set(input.id, {
          debit: from,
          amount: o.amount,
          expiresAtMs: clockMs + o.timeoutSeconds * 1000,
          status: "pending",
        });
        holdIds.push(input.id);
        bump(from, { dpend: o.amount });
        bump(p.usageClearing, { cpend: o.amount });
        break;
      }
      case "settle":
      case "void": {
        const pendingId = holdAt(o.hold);
        const h = holds.get(pendingId);
        const resolution: PostPendingInput | VoidPendingInput =
          o.t === "settle"
            ? { kind: "post_pending", id: uniqueId("settle"), pendingId, amount: o.amount }
            : { kind: "void_pending", id: uniqueId("void"), pendingId };
        const posted = o.t === "settle" ? o.amount : 0n;
        // Split what is posted: cost, developer share, the rest to revenue; zero parts left out.
        const cost = o.t === "settle" ? (o.cost < posted ? o.cost : posted) : 0n;
        const share = o.t === "settle" ? (o.share < posted - cost ? o.share : posted - cost) : 0n;
        const parts = (
          [
            [p.providerCost, cost],
            [developer, share],
            [p.revenue, posted - cost - share],
          ] as const
        ).filter(([, a]) => a > 0n);
        const transfers = parts.map(([to, a]): PostedTransferInput => ({
          kind: "posted",
          id: uniqueId("split"),
          debitAccountId: p.usageClearing,
          creditAccountId: to,
          amount: a,
          code: TRANSFER_CODES.usagePlatformShare,
          requestId: uniqueId("req"),
          ...(a % 2n === 0n ? { metadata: { part: String(a) } } : {}),
        }));
        const code = resolutionCode(h, o.t === "settle" ? o.amount : null);
        const expected = [code, ...transfers.map(() => (code === "created" ? "created" : "linked_event_failed"))];
        const results = await sendResolution(resolution, transfers, o.fast, o.companion, clockMs);
        expectCodes(results, expected as CreateTransferResultCode[]);
        if (code !== "created") break;
        expect(results[0]).toMatchObject({ transfer: { pendingId, amount: o.t === "settle" ? posted : h!.amount } });
        sent.push({ resolution, transfers, nowMs: clockMs });
        h!.status = resolution.kind;
        bump(h!.debit, { dp: posted, dpend: -h!.amount });
        bump(p.usageClearing, { cp: posted, cpend: -h!.amount });
        for (const [to, a] of parts) {
          bump(p.usageClearing, { dp: a });
          bump(to, { cp: a });
        }
        break;
      }
      case "retry": {
        const original = sent.length === 0 ? undefined : sent[o.index % sent.length]!;
        if (!original) break;
        const tweak = <T extends TransferInput>(input: T): T =>
          o.tweak ? { ...input, metadata: { tweaked: true } } : input;
        if (original.hold) {
          const results = await sendHold(tweak(original.hold), o.fast, original.nowMs);
          expectCodes(results, [o.tweak ? "exists_with_different_fields" : "exists"]);
        } else {
          const results = await sendResolution(
            tweak(original.resolution!),
            original.transfers,
            o.fast,
            o.companion,
            original.nowMs,
          );
          expectCodes(results, [
            o.tweak ? "exists_with_different_fields" : "exists",
            ...original.transfers.map(() => "exists" as const),
          ]);
        }
        break;
      }
      case "expire": {
        clockMs += o.advanceSeconds * 1000;
        const eligible = [...holds].filter(([, h]) => h.status === "pending" && h.expiresAtMs <= clockMs);
        const { pendingIds } = await expirePendingTransfers(db, { now: new Date(clockMs), limit: o.limit });
        expect(pendingIds.length).toBe(Math.min(o.limit, eligible.length));
        for (const id of pendingIds) {
          const h = holds.get(id)!;
          expect(h.status).toBe("pending");
          h.status = "expire_pending";
          bump(h.debit, { dpend: -h.amount });
          bump(p.usageClearing, { cpend: -h.amount });
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
      const m = model.get(id)!;
      const b = (await getBalance(db, id))!;
      expect({ id, dp: b.debitsPosted, cp: b.creditsPosted, dpend: b.debitsPending, cpend: b.creditsPending }).toEqual({
        id,
        ...m,
      });
      if (!constrained.has(id)) continue;
      expect(b.available).toBeGreaterThanOrEqual(0n);
      // Debits of constrained accounts are never deferred.
      const stored = await storedRow(db, id);
      expect([stored.debitsPosted, stored.debitsPending]).toEqual([m.dp, m.dpend]);
    }
    const { rows } = await db.query<{ id: string }>("SELECT id FROM fast_path_companion WHERE id = ANY($1::text[])", [
      [...companions],
    ]);
    expect(rows.length).toBe(companions.size);
    // A refused or declined settlement leaves no companion row behind.
    const { rows: all } = await db.query<{ n: string }>(
      "SELECT count(*)::text AS n FROM fast_path_companion WHERE id LIKE $1",
      [`${runTag}:%`],
    );
    expect(Number(all[0]!.n)).toBe(companions.size);
  }
}

/** `db` counting the statements and transactions it is asked for. */
function countingCalls(inner: Database): { db: Database; calls: () => number } {
  let calls = 0;
  const db: Database = {
    kind: inner.kind,
    query: (sql, params) => {
      calls++;
      return inner.query(sql, params);
    },
    exec: (sql) => inner.exec(sql),
    transaction: (work) => {
      calls++;
      return inner.transaction(work);
    },
    close: () => inner.close(),
  };
  return { db, calls: () => calls };
}

function resolutionCode(hold: Hold | undefined, postAmount: bigint | null): CreateTransferResultCode {
  if (!hold) return "pending_not_found";
  if (hold.status === "post_pending") return "already_posted";
  if (hold.status === "void_pending") return "already_voided";
  if (hold.status === "expire_pending") return "already_expired";
  if (postAmount !== null && postAmount > hold.amount) return "exceeds_pending_amount";
  return "created";
}
