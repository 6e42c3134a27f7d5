// A local ticket. Invariant: a ticket's fee is held on the wallet (or nothing,
// when the fee is 0) from its issue until its report settles it or the worker
// releases it, under the transfer `hold:<usage_event_id>`; the ticket row
// exists exactly when its hold does (a row that cannot be stored releases it).
import { hashToken, newId, newToken } from "@modelfaucet/crypto";
import type { Database } from "@modelfaucet/db";
import { insertLocalTicket } from "@modelfaucet/store";
import type { BilledSession, Billing } from "../usage/billing.js";
import { walletBalance } from "../wallets/wallets.js";
import { localPricing } from "./local-feature.js";
import { LOCAL_TICKET_PREFIX, type LocalTicketSettings } from "./local-ticket-settings.js";

export interface LocalTicketRequest {
  session: BilledSession & { featureKey: string | null };
  /** The feature named in the request; else the session's, else the app's only one. */
  featureKey: string | undefined;
  /** The bridge model id the caller means to use, if it said. */
  model: string | undefined;
  /** The x-request-id of the ticket's request, on the hold's transfer. */
  requestId: string;
}

/** A ticket granted: the token is in this answer only (the database keeps its SHA-256). */
export interface IssuedLocalTicket {
  ticket: string;
  expiresAt: Date;
  featureKey: string;
  feeUnits: bigint;
  /** The wallet's available balance with the fee held: what it will be once the report settles it. */
  availableUnits: bigint;
}

/**
 * Issues a ticket for one local call: prices it with the feature's local
 * fee, holds the fee (402 `insufficient_balance` when the wallet cannot
 * cover it, nothing stored) and stores the ticket. `billing` must hold for
 * localHoldTimeoutSeconds(settings).
 */
export async function issueLocalTicket(
  db: Database,
  billing: Billing,
  settings: LocalTicketSettings,
  request: LocalTicketRequest,
): Promise<IssuedLocalTicket> {
  const { session } = request;
  const pricing = await localPricing(db, session.appId, request.featureKey, session.featureKey);
  // Spending budgets (when `billing` enforces them) count the fee now and the reported tokens at settlement:
  // how many tokens a local call will use is not known before it runs.
  const spend = { featureKey: pricing.featureKey, maxTokens: 0 };
  const hold = await billing.hold(session, pricing.feeUnits, request.requestId, undefined, spend);
  const ticket = newToken(LOCAL_TICKET_PREFIX);
  let expiresAt: Date;
  try {
    ({ expiresAt } = await insertLocalTicket(db, {
      id: newId("ltk"),
      tokenHash: hashToken(ticket),
      usageEventId: hold.usageEventId,
      appId: session.appId,
      developerId: session.developerId,
      endUserId: session.endUserId,
      sessionId: session.sessionId,
      featureKey: pricing.featureKey,
      requestedModel: request.model ?? null,
      feeUnits: pricing.feeUnits,
      channelShareBps: pricing.channelShareBps,
      ttlSeconds: settings.ttlSeconds,
      graceSeconds: settings.graceSeconds,
    }));
  } catch (error) {
    await billing.release(hold);
    throw error;
  }
  const { available } = await walletBalance(db, session.endUserId);
  return { ticket, expiresAt, featureKey: pricing.featureKey, feeUnits: pricing.feeUnits, availableUnits: available };
}
