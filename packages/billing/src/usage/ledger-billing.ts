// Usage hold and settlement. Invariant, per billed request (usage event id):
// the wallet is charged its usage event's retail_units once, or nothing
// (released, expired, never settled); a developer key's budget is charged
// min(cost, its hold) exactly when the wallet is; and the usage event commits
// in the statement that moves its money (alone when nothing was held).
import { newId } from "@modelfaucet/crypto";
import type { Database } from "@modelfaucet/db";
import {
  accountIds,
  createHold,
  ensureAccount,
  PLATFORM_ACCOUNTS,
  resolveHold,
  settleHold,
  TRANSFER_CODES,
  writeReadingAvailable,
  type CreateTransferResult,
} from "@modelfaucet/ledger";
import type { BilledSession, Billing, Hold } from "./billing.js";
import { budgetSettlement, holdBudget, releaseBudget } from "./budget-hold.js";
import { settlementTransfers } from "./settlement-transfers.js";
import { shortfall } from "./shortfall.js";
import { usageEventInsert } from "./usage-event-insert.js";
import { usageTransferIds } from "./usage-transfer-ids.js";

function assertApplied(results: CreateTransferResult[], what: string): void {
  const refused = results.find((result) => result.result !== "created" && result.result !== "exists");
  if (refused) throw new Error(`ledger refused ${what}: ${refused.id} ${refused.result}`);
}

/**
 * Billing on the ledger: wallet holds (and developer-key budget holds),
 * settlement with the usage event in one transaction.
 */
export function createLedgerBilling(db: Database, options: { holdTimeoutSeconds: number }): Billing {
  // Developer accounts are opened on first settlement; remembered so it costs one statement per process.
  const openedDevelopers = new Set<string>();
  async function openDeveloperAccount(developerId: string) {
    if (openedDevelopers.has(developerId)) return;
    await ensureAccount(db, { id: accountIds.developer(developerId), kind: "developer", ownerId: developerId });
    openedDevelopers.add(developerId);
  }

  const billing: Billing = {
    async hold(session, amountUnits, requestId, budget) {
      const hold: Hold = { usageEventId: newId("use"), heldUnits: amountUnits };
      await holdWallet(session, hold, requestId);
      if (budget === undefined || budget.amountUnits === 0n) return hold;
      try {
        hold.budget = await holdBudget(db, hold.usageEventId, budget, {
          requestId,
          timeoutSeconds: options.holdTimeoutSeconds,
        });
      } catch (error) {
        await billing.release(hold);
        throw error;
      }
      return hold;
    },

    async settle(hold, record) {
      const usageEvent = usageEventInsert(hold, record);
      const settlement = settlementTransfers(hold, record);
      if (!settlement) {
        // A developer key's budget is held only beside a wallet hold: its cost is part of the retail price held.
        if (hold.budget) throw new Error("billing invariant: a budget hold without a wallet hold");
        const wallet = accountIds.user(record.session.endUserId);
        return { availableUnits: (await writeReadingAvailable(db, usageEvent, wallet)) ?? 0n };
      }
      await openDeveloperAccount(record.session.developerId);
      // The wallet's and the budget's holds resolve in ONE transaction with the usage event, so the budget is
      // charged exactly when the user is: a shape the one-statement fast path does not take (settleHold knows).
      const budget = hold.budget
        ? [budgetSettlement(hold.usageEventId, hold.budget, record.charge.cost, record.requestId)]
        : [];
      // The fast path: one statement, the usage event committing with the transfers, and only with them.
      const settled = await settleHold(db, settlement.resolution, [...settlement.transfers, ...budget], {
        companion: usageEvent,
      });
      assertApplied(settled.results, "the settlement");
      if (settled.available === null) throw new Error("ledger invariant: an applied settlement reads its account");
      return { availableUnits: settled.available };
    },

    async release(hold) {
      if (hold.budget) await releaseBudget(db, hold.usageEventId);
      if (hold.heldUnits === 0n) return;
      const [result] = await resolveHold(
        db,
        {
          kind: "void_pending",
          id: usageTransferIds.release(hold.usageEventId),
          pendingId: usageTransferIds.hold(hold.usageEventId),
        },
        [],
      );
      if (!result) throw new Error("ledger invariant: one result per transfer");
      // Already expired by the worker: nothing left to release.
      if (result.result !== "already_expired") assertApplied([result], "the hold release");
    },
  };
  return billing;

  async function holdWallet(session: BilledSession, hold: Hold, requestId: string) {
    const amountUnits = hold.heldUnits;
    if (amountUnits === 0n) return;
    const wallet = accountIds.user(session.endUserId);
    const result = await createHold(db, {
      kind: "pending",
      id: usageTransferIds.hold(hold.usageEventId),
      debitAccountId: wallet,
      creditAccountId: PLATFORM_ACCOUNTS.usageClearing,
      amount: amountUnits,
      code: TRANSFER_CODES.usageHold,
      timeoutSeconds: options.holdTimeoutSeconds,
      requestId,
    });
    if (result.result === "exceeds_credits" || result.result === "account_not_found") {
      const message = "The wallet cannot cover the most this request can cost; top it up.";
      throw await shortfall(db, "insufficient_balance", message, wallet, amountUnits);
    }
    assertApplied([result], "the usage hold");
  }
}
