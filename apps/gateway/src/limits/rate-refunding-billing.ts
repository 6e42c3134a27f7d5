import type { Billing } from "@modelfaucet/billing";
import type { UserRateLimits } from "./user-rate-limits.js";

/**
 * Billing that tells the per-minute limits what each settled request used,
 * so the tokens its admission counted beyond that go back to the minute.
 * Counted whether or not the settlement itself succeeded: upstream produced
 * those tokens either way.
 */
export function rateRefundingBilling(billing: Billing, limits: UserRateLimits): Billing {
  return {
    hold: (...args) => billing.hold(...args),
    release: (hold) => billing.release(hold),
    async settle(hold, record) {
      try {
        return await billing.settle(hold, record);
      } finally {
        limits.settled(record);
      }
    },
  };
}
