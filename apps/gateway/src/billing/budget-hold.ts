import type { Database } from "@modelfaucet/db";
import {
  createHold,
  PLATFORM_ACCOUNTS,
  resolveHold,
  type PostPendingInput,
  type VoidPendingInput,
} from "@modelfaucet/ledger";
import { DEVELOPER_KEY_BUDGET_CODES } from "@modelfaucet/server-kit";
import type { BudgetReservation, Hold } from "./billing.js";
import { shortfall } from "./shortfall.js";

// The budget account's counterpart: the money it counts is spent outside the platform.
const SOURCE = PLATFORM_ACCOUNTS.externalFunding;

const pendingIdOf = (usageEventId: string) => `budget-hold:${usageEventId}`;

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
    id: pendingIdOf(usageEventId),
    debitAccountId: reservation.accountId,
    creditAccountId: SOURCE,
    amount: reservation.amountUnits,
    code: DEVELOPER_KEY_BUDGET_CODES.hold,
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
  const common = { id: `budget-settle:${usageEventId}`, pendingId: pendingIdOf(usageEventId), requestId };
  if (costUnits <= 0n) return { kind: "void_pending", ...common };
  const amount = costUnits < budget.heldUnits ? costUnits : budget.heldUnits;
  return { kind: "post_pending", amount, ...common };
}

/** Releases the budget hold of a request that will not be settled. Already expired: nothing left to do. */
export async function releaseBudget(db: Database, usageEventId: string): Promise<void> {
  const [result] = await resolveHold(
    db,
    { kind: "void_pending", id: `budget-release:${usageEventId}`, pendingId: pendingIdOf(usageEventId) },
    [],
  );
  if (!result) throw new Error("ledger invariant: one result per transfer");
  if (result.result !== "created" && result.result !== "exists" && result.result !== "already_expired") {
    throw new Error(`ledger refused the budget release: ${result.id} ${result.result}`);
  }
}
