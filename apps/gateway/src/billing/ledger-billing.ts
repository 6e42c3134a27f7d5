import { newId } from "@modelfaucet/crypto";
import type { Database } from "@modelfaucet/db";
import {
  createHold,
  developerAccountId,
  ensureAccount,
  PLATFORM_ACCOUNTS,
  resolveHold,
  settleHold,
  userAccountId,
  writeReadingAvailable,
  type CompanionWrite,
  type CreateTransferResult,
  type PostedTransferInput,
  type PostPendingInput,
  type VoidPendingInput,
} from "@modelfaucet/ledger";
import type { Billing, Hold, UsageRecord } from "./billing.js";
import { shortfall } from "./shortfall.js";
import { budgetSettlement, holdBudget, releaseBudget } from "./budget-hold.js";

const CLEARING = PLATFORM_ACCOUNTS.usageClearing;

function assertApplied(results: CreateTransferResult[], what: string): void {
  const refused = results.find((result) => result.result !== "created" && result.result !== "exists");
  if (refused) throw new Error(`ledger refused ${what}: ${refused.id} ${refused.result}`);
}

/**
 * The settlement of one request as ledger transfers: post the hold for the
 * retail price into usage clearing, then split clearing to provider cost, the
 * developer and the platform — nothing left in clearing. On a developer-key
 * route the developer, not the platform, paid the provider: the cost part
 * reimburses the developer. Ids derive from the
 * usage event id, so a retried settlement moves nothing twice. Null when
 * nothing was held.
 */
function settlementTransfers(
  hold: Hold,
  record: UsageRecord,
): { resolution: PostPendingInput | VoidPendingInput; transfers: PostedTransferInput[] } | null {
  const id = hold.usageEventId;
  const { charge } = record;
  const common = { requestId: record.requestId };
  if (hold.heldUnits === 0n) return null;
  const pendingId = `hold:${id}`;
  if (charge.retail === 0n) {
    return { resolution: { kind: "void_pending", id: `settle:${id}`, pendingId, ...common }, transfers: [] };
  }
  const transfers: PostedTransferInput[] = [];
  const split = (suffix: string, credit: string, amount: bigint, code: string) => {
    if (amount > 0n)
      transfers.push({
        kind: "posted",
        id: `${suffix}:${id}`,
        debitAccountId: CLEARING,
        creditAccountId: credit,
        amount,
        code,
        ...common,
      });
  };
  const developer = developerAccountId(record.session.developerId);
  if (record.routeMode === "developer_key") split("cost", developer, charge.cost, "usage_developer_key_cost");
  else split("cost", PLATFORM_ACCOUNTS.providerCost, charge.cost, "usage_provider_cost");
  split("dev", developer, charge.developer, "usage_developer_share");
  split("plat", PLATFORM_ACCOUNTS.revenue, charge.platform, "usage_platform_share");
  if (charge.platform < 0n) {
    // Usage overran the hold: the platform covers the part of the cost the user was not charged.
    transfers.push({
      kind: "posted",
      id: `overrun:${id}`,
      debitAccountId: PLATFORM_ACCOUNTS.revenue,
      creditAccountId: CLEARING,
      amount: -charge.platform,
      code: "usage_overrun",
      ...common,
    });
  }
  return {
    resolution: { kind: "post_pending", id: `settle:${id}`, pendingId, amount: charge.retail, ...common },
    transfers,
  };
}

/** The usage event row, written in the same statement (and transaction) as the settlement's transfers. */
function usageEventInsert(hold: Hold, record: UsageRecord): CompanionWrite {
  const { usage, charge } = record;
  return {
    sql: `INSERT INTO usage_events (id, request_id, app_id, developer_id, end_user_id, session_id, feature_key,
            route_mode, provider, model, stream, outcome, usage_source, input_tokens, cached_tokens, output_tokens,
            cost_units, retail_units, developer_units, platform_units, held_units, attempts)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)`,
    params: [
      hold.usageEventId,
      record.requestId,
      record.session.appId,
      record.session.developerId,
      record.session.endUserId,
      record.session.sessionId,
      record.featureKey,
      record.routeMode,
      record.provider,
      record.model,
      record.stream,
      record.outcome,
      record.usageSource,
      usage.inputTokens,
      usage.cachedInputTokens,
      usage.outputTokens,
      charge.cost.toString(),
      charge.retail.toString(),
      charge.developer.toString(),
      charge.platform.toString(),
      hold.heldUnits.toString(),
      JSON.stringify(record.attempts),
    ],
  };
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
    await ensureAccount(db, { id: developerAccountId(developerId), kind: "developer", ownerId: developerId });
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
        const wallet = userAccountId(record.session.endUserId);
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
        { kind: "void_pending", id: `release:${hold.usageEventId}`, pendingId: `hold:${hold.usageEventId}` },
        [],
      );
      if (!result) throw new Error("ledger invariant: one result per transfer");
      // Already expired by the worker: nothing left to release.
      if (result.result !== "already_expired") assertApplied([result], "the hold release");
    },
  };
  return billing;

  async function holdWallet(session: Parameters<Billing["hold"]>[0], hold: Hold, requestId: string) {
    const amountUnits = hold.heldUnits;
    if (amountUnits === 0n) return;
    const result = await createHold(db, {
      kind: "pending",
      id: `hold:${hold.usageEventId}`,
      debitAccountId: userAccountId(session.endUserId),
      creditAccountId: CLEARING,
      amount: amountUnits,
      code: "usage_hold",
      timeoutSeconds: options.holdTimeoutSeconds,
      requestId,
    });
    if (result.result === "exceeds_credits" || result.result === "account_not_found") {
      const message = "The wallet cannot cover the most this request can cost; top it up.";
      throw await shortfall(db, "insufficient_balance", message, userAccountId(session.endUserId), amountUnits);
    }
    assertApplied([result], "the usage hold");
  }
}
