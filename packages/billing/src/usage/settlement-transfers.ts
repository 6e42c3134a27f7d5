// The split of one settled request. Invariant: retail = cost + developer +
// platform (core's rating), so Σ into usage_clearing = Σ out of it: clearing
// nets to 0 per request, and the wallet pays exactly retail.
import { accountIds, PLATFORM_ACCOUNTS, TRANSFER_CODES, type TransferCode } from "@modelfaucet/ledger";
import type { PostedTransferInput, PostPendingInput, VoidPendingInput } from "@modelfaucet/ledger";
import type { Hold, UsageRecord } from "./billing.js";
import { usageTransferIds } from "./usage-transfer-ids.js";

const CLEARING = PLATFORM_ACCOUNTS.usageClearing;

/** How one settled request moves money: the wallet hold's resolution and the split of usage clearing. */
export interface SettlementTransfers {
  resolution: PostPendingInput | VoidPendingInput;
  transfers: PostedTransferInput[];
}

/**
 * The settlement of one request as ledger transfers: post the wallet hold for
 * the retail price into usage clearing, then split clearing to the cost's
 * payee, the developer and the platform. When usage overran the hold below
 * cost + developer share (capChargeAtHold makes platform < 0), revenue pays
 * −platform into clearing and the other parts are paid in full.
 *
 * The cost's payee is platform:provider_cost, except on a developer-key
 * route, where the developer (not the platform) paid the provider: the cost
 * part reimburses the developer. Null when nothing was held.
 */
export function settlementTransfers(hold: Hold, record: UsageRecord): SettlementTransfers | null {
  if (hold.heldUnits === 0n) return null;
  const id = hold.usageEventId;
  const { charge } = record;
  const common = { requestId: record.requestId };
  const pendingId = usageTransferIds.hold(id);
  if (charge.retail === 0n) {
    return {
      resolution: { kind: "void_pending", id: usageTransferIds.settle(id), pendingId, ...common },
      transfers: [],
    };
  }
  const transfers: PostedTransferInput[] = [];
  const split = (transferId: string, credit: string, amount: bigint, code: TransferCode) => {
    if (amount > 0n) {
      transfers.push({
        kind: "posted",
        id: transferId,
        debitAccountId: CLEARING,
        creditAccountId: credit,
        amount,
        code,
        ...common,
      });
    }
  };
  const developer = accountIds.developer(record.session.developerId);
  if (record.routeMode === "developer_key") {
    split(usageTransferIds.cost(id), developer, charge.cost, TRANSFER_CODES.usageDeveloperKeyCost);
  } else {
    split(usageTransferIds.cost(id), PLATFORM_ACCOUNTS.providerCost, charge.cost, TRANSFER_CODES.usageProviderCost);
  }
  split(usageTransferIds.developerShare(id), developer, charge.developer, TRANSFER_CODES.usageDeveloperShare);
  split(
    usageTransferIds.platformShare(id),
    PLATFORM_ACCOUNTS.revenue,
    charge.platform,
    TRANSFER_CODES.usagePlatformShare,
  );
  if (charge.platform < 0n) {
    transfers.push({
      kind: "posted",
      id: usageTransferIds.overrun(id),
      debitAccountId: PLATFORM_ACCOUNTS.revenue,
      creditAccountId: CLEARING,
      amount: -charge.platform,
      code: TRANSFER_CODES.usageOverrun,
      ...common,
    });
  }
  return {
    resolution: {
      kind: "post_pending",
      id: usageTransferIds.settle(id),
      pendingId,
      amount: charge.retail,
      ...common,
    },
    transfers,
  };
}
