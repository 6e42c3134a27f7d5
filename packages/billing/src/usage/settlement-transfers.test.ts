// The settlement's split against its invariant, for any rated and capped charge:
// clearing nets to 0, the wallet pays exactly retail, every part goes to its payee.
import { capChargeAtHold, rateUsage } from "@modelfaucet/core";
import { modelPrice, ratingPricing, routeMode, tokenUsage } from "@modelfaucet/core/testing";
import { accountIds, PLATFORM_ACCOUNTS, type PostedTransferInput } from "@modelfaucet/ledger";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Hold, UsageRecord } from "./billing.js";
import { settlementTransfers } from "./settlement-transfers.js";

const CLEARING = PLATFORM_ACCOUNTS.usageClearing;
const session = { sessionId: "ses_1", appId: "app_1", developerId: "dev_1", endUserId: "usr_1" };

/** What the transfers move into (+) and out of (−) `account`. */
function netOf(account: string, transfers: PostedTransferInput[]): bigint {
  return transfers.reduce(
    (sum, t) => sum + (t.creditAccountId === account ? t.amount : 0n) - (t.debitAccountId === account ? t.amount : 0n),
    0n,
  );
}

const settlement = fc
  .record({
    usage: tokenUsage,
    price: modelPrice,
    pricing: ratingPricing,
    routeMode,
    // The hold: at, around or far below what the call turned out to cost.
    heldUnits: fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 6n }), fc.bigInt({ min: 0n, max: 10n ** 18n })),
  })
  .map(({ usage, price, pricing, routeMode: mode, heldUnits }) => {
    const charge = capChargeAtHold(rateUsage({ usage, price, pricing, routeMode: mode }), heldUnits);
    const hold: Hold = { usageEventId: "use_1", heldUnits };
    const record: UsageRecord = {
      requestId: "req_1",
      session,
      featureKey: "chat",
      routeMode: mode,
      provider: "mock",
      model: "mock-small",
      stream: false,
      outcome: "completed",
      usageSource: "upstream",
      usage,
      charge,
      attempts: [],
    };
    return { hold, record };
  });

describe("settlementTransfers", () => {
  it("nets usage clearing to 0, charges the wallet exactly retail and pays every part to its payee", () => {
    fc.assert(
      fc.property(settlement, ({ hold, record }) => {
        const { charge } = record;
        const settled = settlementTransfers(hold, record);
        if (hold.heldUnits === 0n) {
          expect(settled).toBeNull();
          return;
        }
        expect(settled).not.toBeNull();
        const { resolution, transfers } = settled!;
        const walletPays = resolution.kind === "post_pending" ? resolution.amount! : 0n;
        expect(walletPays).toBe(charge.retail);
        expect(charge.retail).toBeLessThanOrEqual(hold.heldUnits);
        // Σ into clearing (the posted hold) = Σ out of it.
        expect(walletPays + netOf(CLEARING, transfers)).toBe(0n);
        for (const transfer of transfers) expect(transfer.amount).toBeGreaterThan(0n);
        expect(new Set(transfers.map((t) => t.id)).size).toBe(transfers.length);

        const developer = accountIds.developer(session.developerId);
        const cost = charge.retail === 0n ? 0n : charge.cost;
        const share = charge.retail === 0n ? 0n : charge.developer;
        const platform = charge.retail === 0n ? 0n : charge.platform;
        const onDeveloperKey = record.routeMode === "developer_key";
        expect(netOf(developer, transfers)).toBe((onDeveloperKey ? cost : 0n) + share);
        expect(netOf(PLATFORM_ACCOUNTS.providerCost, transfers)).toBe(onDeveloperKey ? 0n : cost);
        expect(netOf(PLATFORM_ACCOUNTS.revenue, transfers)).toBe(platform);
      }),
      { numRuns: 2000 },
    );
  });
});
