import type { RatedCharge, RouteMode, TokenUsage } from "@modelfaucet/core";
import type { SessionContext } from "@modelfaucet/server-kit";

/** Money set aside on the user's wallet before upstream is called. */
export interface Hold {
  /** The gateway's id for this billed request (`use_…`); the ledger transfer ids derive from it. */
  usageEventId: string;
  heldUnits: bigint;
}

/** Everything the usage event records about one billed request. */
export interface UsageRecord {
  requestId: string;
  session: SessionContext;
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
}

/**
 * The two-phase charge of one request. `hold` runs before upstream is called
 * (and throws `insufficient_balance` without calling it); exactly one of
 * `settle` or `release` follows. If the process dies in between, the hold
 * expires and the worker voids it: the user is never charged for a request
 * that was not settled.
 */
export interface Billing {
  hold(session: SessionContext, amountUnits: bigint, requestId: string): Promise<Hold>;
  /** One transaction: the usage event and the ledger transfers. */
  settle(hold: Hold, record: UsageRecord): Promise<void>;
  release(hold: Hold): Promise<void>;
}
