// Unreported local tickets. Invariant: once a ticket's grace period is over,
// its fee is either charged (its report settled it) or back on the wallet
// (its hold voided here), and the ticket is closed saying which.
import type { Database } from "@modelfaucet/db";
import { resolveHold } from "@modelfaucet/ledger";
import { closeLocalTicket, localTicketsPastGrace, type LocalTicketRecord } from "@modelfaucet/store";
import { usageTransferIds } from "../usage/usage-transfer-ids.js";

/**
 * The worker's pass: closes up to `limit` tickets whose grace period is
 * over, voiding the hold of each that was never reported. Safe with several
 * workers and with a report arriving at the same moment: the ledger resolves
 * a hold once, so whichever comes second finds it posted (the report won:
 * closed as settled) or voided (the report is refused). Answers how many
 * tickets it closed.
 */
export async function releaseUnreportedLocalTickets(db: Database, options: { limit: number }): Promise<number> {
  const tickets = await localTicketsPastGrace(db, options.limit);
  for (const ticket of tickets) {
    const settled = ticket.settled !== null || (await voidHold(db, ticket)) === "posted";
    await closeLocalTicket(db, ticket.id, settled ? "settled" : "released");
  }
  return tickets.length;
}

/** Voids the ticket's hold; `posted` when a report settled it first. */
async function voidHold(db: Database, ticket: LocalTicketRecord): Promise<"voided" | "posted"> {
  if (ticket.feeUnits === 0n) return "voided";
  const [result] = await resolveHold(
    db,
    {
      kind: "void_pending",
      id: usageTransferIds.release(ticket.usageEventId),
      pendingId: usageTransferIds.hold(ticket.usageEventId),
    },
    [],
  );
  switch (result?.result) {
    case "created":
    case "exists":
    case "already_expired":
    case "already_voided":
      return "voided";
    case "already_posted":
      return "posted";
    default:
      throw new Error(`ledger refused the release of local ticket ${ticket.id}: ${result?.result ?? "no result"}`);
  }
}
