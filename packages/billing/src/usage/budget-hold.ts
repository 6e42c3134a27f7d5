// A developer key's budget across the requests routed over it. Invariant: the
// budget account's balance = its net funding (fundDeveloperKeyBudget)
// − Σ min(cost, hold) of its settled requests, and its available balance
// (balance − held) never goes below 0: a request it cannot hold is refused.
import type { Database } from "@modelfaucet/db";
import {
  createHold,
  PLATFORM_ACCOUNTS,
  resolveHold,
  TRANSFER_CODES,
  type PostPendingInput,
  type VoidPendingInput,
} from "@modelfaucet/ledger";
import type { BudgetReservation, Hold } from "./billing.js";
import { shortfall } from "./shortfall.js";
import { usageTransferIds } from "./usage-transfer-ids.js";

// The budget account's counterpart: the money it counts is spent outside the platform.
const SOURCE = PLATFORM_ACCOUNTS.externalFunding;

/**
 * Holds a request's most possible upstream cost on a developer key's budget
 * account, with the same expiry as the wallet hold: if the Gateway dies
 * before settling, the worker releases it. A budget the hold does not fit
 * (or an account never funded: a budget not set through the API) is
 * `budget_exceeded`, 402 — fail closed.
 */
export async function holdBudget(
  db: Database,
  usageEventId: string,
  reservation: BudgetReservation,
  options: { requestId: string; timeoutSeconds: number },
): Promise<NonNullable<Hold["budget"]>> {
  const result = await createHold(db, {
    kind: "pending",
    id: usageTransferIds.budgetHold(usageEventId),
    debitAccountId: reservation.accountId,
    creditAccountId: SOURCE,
    amount: reservation.amountUnits,
    code: TRANSFER_CODES.keyBudgetHold,
    timeoutSeconds: options.timeoutSeconds,
    requestId: options.requestId,
  });
  if (result.result === "exceeds_credits" || result.result === "account_not_found") {
    const message = "The developer's provider key has reached its budget; the developer can raise it.";
    throw await shortfall(db, "budget_exceeded", message, reservation.accountId, reservation.amountUnits);
  }
  if (result.result !== "created" && result.result !== "exists") {
    throw new Error(`ledger refused the budget hold: ${result.id} ${result.result}`);
  }
  return { accountId: reservation.accountId, heldUnits: reservation.amountUnits };
}

/**
 * The budget hold's resolution at settlement: post the actual upstream cost
 * (never more than was held — the estimate is the most the call can cost;
 * an overrun beyond it is not counted against the budget), void when it cost
 * nothing.
 */
export function budgetSettlement(
  usageEventId: string,
  budget: NonNullable<Hold["budget"]>,
  costUnits: bigint,
  requestId: string,
): PostPendingInput | VoidPendingInput {
  const common = {
    id: usageTransferIds.budgetSettle(usageEventId),
    pendingId: usageTransferIds.budgetHold(usageEventId),
    requestId,
  };
  if (costUnits <= 0n) return { kind: "void_pending", ...common };
  const amount = costUnits < budget.heldUnits ? costUnits : budget.heldUnits;
  return { kind: "post_pending", amount, ...common };
}

/** Releases the budget hold of a request that will not be settled. Already expired: nothing left to do. */
export async function releaseBudget(db: Database, usageEventId: string): Promise<void> {
  const [result] = await resolveHold(
    db,
    {
      kind: "void_pending",
      id: usageTransferIds.budgetRelease(usageEventId),
      pendingId: usageTransferIds.budgetHold(usageEventId),
    },
    [],
  );
  if (!result) throw new Error("ledger invariant: one result per transfer");
  if (result.result !== "created" && result.result !== "exists" && result.result !== "already_expired") {
    throw new Error(`ledger refused the budget release: ${result.id} ${result.result}`);
  }
}
