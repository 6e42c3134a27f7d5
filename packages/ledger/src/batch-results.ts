import type { BatchPlan } from "./plan-batch.js";
import type { Transfer } from "./transfer.js";
import type { CreateTransferResult } from "./transfer-result.js";

/** The batch was refused while planning: nothing was written. */
export function refusedResults(plan: BatchPlan): CreateTransferResult[] {
  return plan.outcomes.map((outcome) => {
    if (outcome.type === "exists") return { id: outcome.transfer.id, result: "exists", transfer: outcome.transfer };
    if (outcome.type === "create") return { id: outcome.record.id, result: "linked_event_failed" };
    return { id: outcome.id, result: outcome.code };
  });
}

/** The overdraft check under the row refused `accounts`: nothing was written. */
export function exceedsCreditsResults(plan: BatchPlan, accounts: Iterable<string>): CreateTransferResult[] {
  const overdrawing = new Set<number>();
  for (const account of accounts) for (const index of plan.debitors.get(account) ?? []) overdrawing.add(index);
  return plan.outcomes.map((outcome, index) => {
    if (outcome.type === "exists") return { id: outcome.transfer.id, result: "exists", transfer: outcome.transfer };
    if (outcome.type === "refused") throw new Error("ledger invariant: a refused batch is never written");
    return { id: outcome.record.id, result: overdrawing.has(index) ? "exceeds_credits" : "linked_event_failed" };
  });
}

/** The batch was written; `inserted` holds what the database assigned to each new transfer. */
export function createdResults(
  plan: BatchPlan,
  inserted: ReadonlyMap<string, Pick<Transfer, "seq" | "createdAt">>,
): CreateTransferResult[] {
  return plan.outcomes.map((outcome) => {
    if (outcome.type === "exists") return { id: outcome.transfer.id, result: "exists", transfer: outcome.transfer };
    if (outcome.type === "refused") throw new Error("ledger invariant: a refused batch is never written");
    const assigned = inserted.get(outcome.record.id);
    if (!assigned) throw new Error(`ledger invariant: transfer ${outcome.record.id} was not inserted`);
    return { id: outcome.record.id, result: "created", transfer: { ...outcome.record, ...assigned } };
  });
}
