import type { ApplicableBudget } from "@modelfaucet/core";
import type { Database } from "@modelfaucet/db";
import { resolveBudgetReservation } from "@modelfaucet/store";
import type { BilledSession, Billing } from "../usage/billing.js";
import { reserveSpend } from "./reserve-spend.js";

export interface SpendBudgetsOptions {
  db: Database;
  /** The wallet hold's lifetime: a reservation expires with it, and the worker sweeps it then. */
  holdTimeoutSeconds: number;
  /**
   * The budgets a request of `session` under `featureKey` counts against
   * (applicableBudgets over the app's and the feature's limits); an empty
   * list — served from the caller's cache — means no budget work at all.
   */
  budgetsFor(session: BilledSession, featureKey: string): Promise<ApplicableBudget[]>;
  /** The clock buckets are chosen by (tests move it). */
  now?: () => Date;
}

/**
 * Billing that also enforces spending budgets: after the wallet hold, the
 * request's most possible retail price (the hold's amount) and tokens
 * (`spend.maxTokens`) are reserved on every budget that applies — or the
 * wallet hold is released and the request refused with 402
 * `budget_exceeded`, before upstream is called. A request holds at most one
 * reservation: a route that re-holds (fallback) releases the previous hold
 * first, so a request counts once. Settlement moves the reservation to spent
 * at the actual retail price charged (never above the wallet hold) and the
 * actual input + output tokens; release drops it.
 */
export function withSpendBudgets(inner: Billing, options: SpendBudgetsOptions): Billing {
  const { db } = options;
  const now = options.now ?? (() => new Date());
  return {
    async hold(session, amountUnits, requestId, budget, spend) {
      const budgets = spend ? await options.budgetsFor(session, spend.featureKey) : [];
      const hold = await inner.hold(session, amountUnits, requestId, budget, spend);
      if (budgets.length === 0 || !spend) return hold;
      const at = now();
      const reserved = { units: amountUnits, tokens: spend.maxTokens };
      try {
        await reserveSpend(db, {
          usageEventId: hold.usageEventId,
          budgets,
          ...reserved,
          now: at,
          expiresAt: new Date(at.getTime() + options.holdTimeoutSeconds * 1000),
        });
      } catch (error) {
        await inner.release(hold);
        throw error;
      }
      return { ...hold, spend: reserved };
    },

    async settle(hold, record) {
      const settled = await inner.settle(hold, record);
      if (hold.spend) {
        const tokens = record.usage.inputTokens + record.usage.outputTokens;
        await resolveBudgetReservation(db, hold.usageEventId, {
          actual: { units: record.charge.retail, tokens },
        }).catch(() => {
          // The charge committed: the answer stands. The reservation expires with the hold, and the worker's
          // sweep then counts it at the usage event's amounts — the same numbers.
        });
      }
      return settled;
    },

    async release(hold) {
      if (hold.spend) await resolveBudgetReservation(db, hold.usageEventId, { actual: { units: 0n, tokens: 0 } });
      await inner.release(hold);
    },
  };
}
