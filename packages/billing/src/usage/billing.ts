import type { RatedCharge, RouteMode, TokenUsage } from "@modelfaucet/core";

/** Who a request is billed to: the session's end user (the wallet), app and developer (the channel). */
export interface BilledSession {
  sessionId: string;
  appId: string;
  developerId: string;
  endUserId: string;
}

/**
 * What a request routed over a budgeted developer key reserves on the key's
 * budget account: its most possible upstream cost (no markup), units.
 */
export interface BudgetReservation {
  /** `developer:<key id>:budget` (accountIds.keyBudget). */
  accountId: string;
  amountUnits: bigint;
}

/**
 * What a request adds to the spending budgets of its end user, feature and
 * app (withSpendBudgets): the feature it runs under, and the most tokens it
 * can use — its prompt's upper bound plus its output limit.
 */
export interface SpendContext {
  featureKey: string;
  maxTokens: number;
}

/** Money set aside on the user's wallet (and a developer key's budget) before upstream is called. */
export interface Hold {
  /** The gateway's id for this billed request (`use_…`); the ledger transfer ids derive from it. */
  usageEventId: string;
  heldUnits: bigint;
  /** The budget hold, when the route is a developer key with a budget and the call can cost anything. */
  budget?: { accountId: string; heldUnits: bigint } | undefined;
  /** Set when the request reserved on spending budgets (withSpendBudgets): what it reserved there. */
  spend?: { units: bigint; tokens: number } | undefined;
}

/** Everything the usage event records about one billed request. */
export interface UsageRecord {
  requestId: string;
  session: BilledSession;
  featureKey: string;
  routeMode: RouteMode;
  provider: string;
  model: string;
  stream: boolean;
  outcome: "completed" | "client_aborted" | "upstream_failed";
  usageSource: "upstream" | "estimated";
  usage: TokenUsage;
  charge: RatedCharge;
  attempts: unknown[];
  /** From the request's arrival to its settlement (a stream's: its end), ms; undefined where not measured (local). */
  latencyMs?: number | undefined;
  /** How many personal items were replaced by placeholders before the upstream call: a count, never the items. */
  redactedItems?: number | undefined;
  /** Answered from the response cache (no upstream call: zero tokens, cost 0); absent means false. */
  cached?: boolean | undefined;
}

/** What a settlement left on the paying end user's wallet. */
export interface Settled {
  /** The wallet's available balance (balance − held), units, right after the settlement (BYOK with no hold: as it stands). */
  availableUnits: bigint;
}

/**
 * The two-phase charge of one request. `hold` runs before upstream is called
 * (and throws `insufficient_balance`, or `budget_exceeded` when a developer
 * key's budget cannot cover `budget`, without calling it); exactly one of
 * `settle` or `release` follows. If the process dies in between, the holds
 * expire and the worker voids them: the user is never charged, and the key's
 * budget never spent, for a request that was not settled.
 */
export interface Billing {
  hold(
    session: BilledSession,
    amountUnits: bigint,
    requestId: string,
    budget?: BudgetReservation,
    spend?: SpendContext,
  ): Promise<Hold>;
  /**
   * One transaction: the usage event and the ledger transfers (the budget's
   * settlement included), answering the wallet it left — read in the same
   * statement or transaction, never as a query of its own.
   */
  settle(hold: Hold, record: UsageRecord): Promise<Settled>;
  release(hold: Hold): Promise<void>;
}
