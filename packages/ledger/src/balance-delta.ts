import { type AccountKind, isConstrained } from "./accounts.js";
import type { TransferKind } from "./transfer.js";

/** A change to an account's four totals, in units. Pending columns go down when a hold resolves. */
export interface BalanceDelta {
  debitsPosted: bigint;
  creditsPosted: bigint;
  debitsPending: bigint;
  creditsPending: bigint;
}

export const ZERO: BalanceDelta = Object.freeze({
  debitsPosted: 0n,
  creditsPosted: 0n,
  debitsPending: 0n,
  creditsPending: 0n,
});

export function addDeltas(a: BalanceDelta, b: BalanceDelta): BalanceDelta {
  return {
    debitsPosted: a.debitsPosted + b.debitsPosted,
    creditsPosted: a.creditsPosted + b.creditsPosted,
    debitsPending: a.debitsPending + b.debitsPending,
    creditsPending: a.creditsPending + b.creditsPending,
  };
}

export function negateDelta(d: BalanceDelta): BalanceDelta {
  return {
    debitsPosted: -d.debitsPosted,
    creditsPosted: -d.creditsPosted,
    debitsPending: -d.debitsPending,
    creditsPending: -d.creditsPending,
  };
}

export function isZeroDelta(d: BalanceDelta): boolean {
  return d.debitsPosted === 0n && d.creditsPosted === 0n && d.debitsPending === 0n && d.creditsPending === 0n;
}

/**
 * What one transfer does to its two accounts. `heldAmount` is the amount of
 * the pending transfer a post/void/expire resolves: the whole hold leaves the
 * pending columns, and a post adds what it posts to the posted ones.
 */
export function transferEffects(
  kind: TransferKind,
  amount: bigint,
  heldAmount: bigint | null,
): { debit: BalanceDelta; credit: BalanceDelta } {
  switch (kind) {
    case "posted":
      return { debit: { ...ZERO, debitsPosted: amount }, credit: { ...ZERO, creditsPosted: amount } };
    case "pending":
      return { debit: { ...ZERO, debitsPending: amount }, credit: { ...ZERO, creditsPending: amount } };
    case "post_pending":
      return {
        debit: { ...ZERO, debitsPosted: amount, debitsPending: -required(heldAmount) },
        credit: { ...ZERO, creditsPosted: amount, creditsPending: -required(heldAmount) },
      };
    case "void_pending":
    case "expire_pending":
      return {
        debit: { ...ZERO, debitsPending: -required(heldAmount) },
        credit: { ...ZERO, creditsPending: -required(heldAmount) },
      };
  }
}

function required(heldAmount: bigint | null): bigint {
  if (heldAmount === null) throw new Error("ledger invariant: a resolving transfer needs the held amount");
  return heldAmount;
}

/**
 * Whether a change to this side of an account is written to the account row
 * at once, or deferred to ledger_balance_deltas.
 *
 * - Debits of a constrained account: at once, because the overdraft check must
 *   run under the row (`UPDATE … WHERE debits + amount <= credits`).
 * - Credits of an end user: at once too. Only that user's own requests touch
 *   the row, so it is not contended, and a top-up must be spendable at once.
 * - Everything else — platform accounts, credits to developers — is touched by
 *   every request of many users: deferred, so requests never queue on one row.
 *   A developer's credits therefore count toward its overdraft check only once
 *   folded (conservative: a payout may wait for the worker, never overdraw).
 */
export function appliesImmediately(kind: AccountKind, side: "debit" | "credit"): boolean {
  if (kind === "end_user") return true;
  return side === "debit" && isConstrained(kind);
}

/** The changes a batch makes, per account, split into written-now and deferred. */
export class BatchEffects {
  readonly immediate = new Map<string, BalanceDelta>();
  readonly deferred = new Map<string, BalanceDelta>();

  add(accountId: string, kind: AccountKind, side: "debit" | "credit", delta: BalanceDelta): void {
    const target = appliesImmediately(kind, side) ? this.immediate : this.deferred;
    target.set(accountId, addDeltas(target.get(accountId) ?? ZERO, delta));
  }

  /** Adds both sides of a transfer; `kinds` must know both of its accounts. */
  addTransfer(
    record: { kind: TransferKind; debitAccountId: string; creditAccountId: string; amount: bigint },
    heldAmount: bigint | null,
    kinds: ReadonlyMap<string, AccountKind>,
  ): void {
    const effects = transferEffects(record.kind, record.amount, heldAmount);
    this.add(record.debitAccountId, kindOf(kinds, record.debitAccountId), "debit", effects.debit);
    this.add(record.creditAccountId, kindOf(kinds, record.creditAccountId), "credit", effects.credit);
  }

  /** Drops accounts whose changes cancel out, e.g. a hold made and voided in one batch. */
  compact(): void {
    for (const map of [this.immediate, this.deferred]) {
      for (const [id, delta] of map) if (isZeroDelta(delta)) map.delete(id);
    }
  }
}

function kindOf(kinds: ReadonlyMap<string, AccountKind>, accountId: string): AccountKind {
  const kind = kinds.get(accountId);
  if (kind === undefined) throw new Error(`ledger invariant: account ${accountId} was not loaded`);
  return kind;
}

/** A delta map as one jsonb_to_recordset argument (amounts as strings, exact). */
export function deltasToJson(deltas: ReadonlyMap<string, BalanceDelta>): string {
  return JSON.stringify(
    [...deltas].map(([accountId, d]) => ({
      account_id: accountId,
      debits_posted: d.debitsPosted.toString(),
      credits_posted: d.creditsPosted.toString(),
      debits_pending: d.debitsPending.toString(),
      credits_pending: d.creditsPending.toString(),
    })),
  );
}
