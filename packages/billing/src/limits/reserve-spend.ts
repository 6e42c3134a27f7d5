// Spending budgets are counters, not money: a request reserves its most
// possible retail price and tokens on every budget that applies before
// upstream is called, and its actual amounts replace the reservation at
// settlement. Invariant per budget and window: spent + held ≤ limit whenever
// a reservation is admitted (a request's actual amounts may exceed what it
// reserved only in tokens — usage upstream reported above the bound — and
// then only that one request overruns: the next is refused).
import { budgetWindow, type ApplicableBudget } from "@modelfaucet/core";
import type { Database } from "@modelfaucet/db";
import { reserveBudgets, type CounterBucket } from "@modelfaucet/store";
import { budgetExceeded } from "./budget-exceeded.js";

export interface SpendReservation {
  usageEventId: string;
  budgets: ApplicableBudget[];
  units: bigint;
  tokens: number;
  now: Date;
  expiresAt: Date;
}

/**
 * Reserves `units` and `tokens` on every budget in `budgets`, all or none:
 * 402 `budget_exceeded` (naming the first budget it did not fit) when any
 * would go past its limit.
 */
export async function reserveSpend(db: Database, reservation: SpendReservation): Promise<void> {
  const { budgets, now } = reservation;
  const windows = budgets.map((applicable) => budgetWindow(applicable.budget, now));
  const buckets = new Map<string, CounterBucket>();
  for (const [i, applicable] of budgets.entries()) {
    buckets.set(applicable.counterKey, { counterKey: applicable.counterKey, bucketStart: windows[i]!.current });
  }
  const result = await reserveBudgets(db, {
    usageEventId: reservation.usageEventId,
    buckets: [...buckets.values()],
    limits: budgets.map((applicable, i) => ({
      counterKey: applicable.counterKey,
      from: windows[i]!.from,
      to: windows[i]!.current,
      maxUnits: applicable.maxUnits,
      maxTokens: applicable.maxTokens,
    })),
    units: reservation.units,
    tokens: reservation.tokens,
    expiresAt: reservation.expiresAt,
  });
  if (!result.reserved) {
    throw budgetExceeded(budgets[result.index]!, result.usage, {
      units: reservation.units,
      tokens: reservation.tokens,
    });
  }
}
