import { type AccountKind, isConstrained } from "./accounts.js";
import { BatchEffects } from "./balance-delta.js";
import { canonicalJson } from "@modelfaucet/core";
import type { Transfer, TransferRecord } from "./transfer.js";
import type { PostPendingInput, TransferInput, VoidPendingInput } from "./transfer-input.js";
import type { RefusalCode } from "./transfer-result.js";
import { expiryRefusal, validateTransfer } from "./validate-transfer.js";

/** What the database said before the batch was planned (see load-batch-state.ts). */
export interface BatchState {
  /** Kinds of the accounts the batch names, and of the accounts of the pending transfers it resolves. */
  accounts: ReadonlyMap<string, AccountKind>;
  /** Existing transfers whose id is one of the batch's ids or pending ids. */
  transfers: ReadonlyMap<string, Transfer>;
  /** Existing resolving transfers (post/void/expire), by the pending id they resolve. */
  resolutions: ReadonlyMap<string, Transfer>;
}

export type Outcome =
  | { type: "create"; record: TransferRecord }
  | { type: "exists"; transfer: Transfer }
  | { type: "refused"; id: string; code: RefusalCode };

/** A batch decided in memory, before anything is written. */
export interface BatchPlan {
  outcomes: Outcome[];
  /** True when no transfer was refused: the batch may be written. */
  ok: boolean;
  /** Transfers to insert, in batch order. */
  records: TransferRecord[];
  /** Committed pending transfers this batch resolves: their open-hold rows must be claimed. */
  claims: string[];
  /** Holds this batch opens and does not resolve itself. */
  holds: Map<string, Date>;
  effects: BatchEffects;
  /** Constrained accounts whose debits the batch raises → indexes of the transfers raising them. */
  debitors: Map<string, number[]>;
}

export type PendingLike = Pick<
  Transfer,
  "id" | "kind" | "debitAccountId" | "creditAccountId" | "amount" | "code" | "requestId"
>;

/**
 * Decides every transfer of a batch in order, as if alone in the ledger: no
 * I/O, so every refusal rule is here and unit-testable. Overdrafts are not
 * decided here — only the conditional UPDATE under the account row can decide
 * them without a race (write-batch.ts).
 */
export function planBatch(inputs: readonly TransferInput[], state: BatchState, now: Date): BatchPlan {
  const plan: BatchPlan = {
    outcomes: [],
    ok: true,
    records: [],
    claims: [],
    holds: new Map(),
    effects: new BatchEffects(),
    debitors: new Map(),
  };
  const seen = new Set<string>();
  const pendingInBatch = new Map<string, TransferRecord>();
  const resolvedInBatch = new Map<string, Transfer["kind"]>();

  const pendingOf = (id: string): PendingLike | undefined => pendingInBatch.get(id) ?? state.transfers.get(id);

  inputs.forEach((input, index) => {
    const outcome = decide(input, index);
    if (outcome.type === "refused") plan.ok = false;
    plan.outcomes.push(outcome);
  });
  plan.effects.compact();
  return plan;

  function decide(input: TransferInput, index: number): Outcome {
    const refusal = validateTransfer(input);
    if (refusal) return refuse(input, refusal);
    if (seen.has(input.id)) return refuse(input, "duplicate_id_in_batch");
    seen.add(input.id);

    const existing = state.transfers.get(input.id);
    if (existing) return compareWithExisting(input, existing);

    if (input.kind === "posted" || input.kind === "pending") return decideNew(input, index);
    return decideResolution(input);
  }

  function compareWithExisting(input: TransferInput, existing: Transfer): Outcome {
    const pending = "pendingId" in input ? pendingOf(input.pendingId) : undefined;
    const record = recordFor(input, pending, now);
    return record && sameFields(record, existing)
      ? { type: "exists", transfer: existing }
      : refuse(input, "exists_with_different_fields");
  }

  function decideNew(input: Extract<TransferInput, { kind: "posted" | "pending" }>, index: number): Outcome {
    const debitKind = state.accounts.get(input.debitAccountId);
    if (!debitKind || !state.accounts.has(input.creditAccountId)) return refuse(input, "account_not_found");
    const record = recordFor(input, undefined, now);
    if (!record) throw new Error("ledger invariant: a new transfer always has a record");
    if (record.expiresAt) {
      const late = expiryRefusal(record.expiresAt, now);
      if (late) return refuse(input, late);
      plan.holds.set(record.id, record.expiresAt);
      pendingInBatch.set(record.id, record);
    }
    plan.effects.addTransfer(record, null, state.accounts);
    if (isConstrained(debitKind)) {
      const indexes = plan.debitors.get(record.debitAccountId) ?? [];
      plan.debitors.set(record.debitAccountId, [...indexes, index]);
    }
    plan.records.push(record);
    return { type: "create", record };
  }

  function decideResolution(input: PostPendingInput | VoidPendingInput): Outcome {
    const pending = pendingOf(input.pendingId);
    if (!pending) return refuse(input, "pending_not_found");
    if (pending.kind !== "pending") return refuse(input, "pending_transfer_not_pending");
    const resolvedBy = resolvedInBatch.get(pending.id) ?? state.resolutions.get(pending.id)?.kind;
    if (resolvedBy) return refuse(input, ALREADY[resolvedBy]);
    const record = recordFor(input, pending, now);
    if (!record) throw new Error("ledger invariant: a resolution of a known hold always has a record");
    if (record.amount > pending.amount) return refuse(input, "exceeds_pending_amount");

    plan.effects.addTransfer(record, pending.amount, state.accounts);
    resolvedInBatch.set(pending.id, record.kind);
    if (pendingInBatch.has(pending.id)) plan.holds.delete(pending.id);
    else plan.claims.push(pending.id);
    plan.records.push(record);
    return { type: "create", record };
  }
}

function refuse(input: TransferInput, code: RefusalCode): Outcome {
  return { type: "refused", id: input.id, code };
}

const ALREADY: Record<Transfer["kind"], RefusalCode> = {
  post_pending: "already_posted",
  void_pending: "already_voided",
  expire_pending: "already_expired",
  // Never a resolution; listed so the map is total.
  posted: "pending_transfer_not_pending",
  pending: "pending_transfer_not_pending",
};

/** The row `input` would insert; null when it resolves a pending transfer that is unknown. */
export function recordFor(input: TransferInput, pending: PendingLike | undefined, now: Date): TransferRecord | null {
  const common = { id: input.id, metadata: input.metadata ?? null };
  switch (input.kind) {
    case "posted":
      return {
        ...common,
        kind: input.kind,
        debitAccountId: input.debitAccountId,
        creditAccountId: input.creditAccountId,
        amount: input.amount,
        pendingId: null,
        code: input.code,
        requestId: input.requestId ?? null,
        timeoutSeconds: null,
        expiresAt: null,
      };
    case "pending": {
      // validateTransfer has checked that exactly one of the two is given.
      const timeoutSeconds = input.timeoutSeconds ?? null;
      return {
        ...common,
        kind: input.kind,
        debitAccountId: input.debitAccountId,
        creditAccountId: input.creditAccountId,
        amount: input.amount,
        pendingId: null,
        code: input.code,
        requestId: input.requestId ?? null,
        timeoutSeconds,
        expiresAt: input.expiresAt ?? new Date(now.getTime() + (timeoutSeconds ?? 0) * 1000),
      };
    }
    case "post_pending":
    case "void_pending":
      if (!pending) return null;
      return {
        ...common,
        kind: input.kind,
        debitAccountId: pending.debitAccountId,
        creditAccountId: pending.creditAccountId,
        amount: input.kind === "post_pending" ? (input.amount ?? pending.amount) : pending.amount,
        pendingId: pending.id,
        code: input.code ?? pending.code,
        requestId: input.requestId ?? pending.requestId,
        timeoutSeconds: null,
        expiresAt: null,
      };
  }
}

/** Same transfer, field by field. A timeout-based hold is compared by its timeout, not its (moving) expiry. */
function sameFields(record: TransferRecord, existing: Transfer): boolean {
  return (
    record.kind === existing.kind &&
    record.debitAccountId === existing.debitAccountId &&
    record.creditAccountId === existing.creditAccountId &&
    record.amount === existing.amount &&
    record.pendingId === existing.pendingId &&
    record.code === existing.code &&
    record.requestId === existing.requestId &&
    record.timeoutSeconds === existing.timeoutSeconds &&
    (record.timeoutSeconds !== null || record.expiresAt?.getTime() === existing.expiresAt?.getTime()) &&
    canonicalJson(record.metadata) === canonicalJson(existing.metadata)
  );
}
