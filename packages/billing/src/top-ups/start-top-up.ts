// Starting a top-up moves no money: Stripe's paid event credits it
// (creditPaidSession). Invariant: checkout sessions opened = top-up rows
// marked open with their id — the row is recorded (`creating`) before the
// payment provider is called, so a crash in between leaves a visible,
// uncredited row rather than a session we know nothing of.
import { AppError, formatUsd } from "@modelfaucet/core";
import { newId } from "@modelfaucet/crypto";
import type { Database } from "@modelfaucet/db";
import { appendAuditEntry } from "@modelfaucet/store";
import { insertTopUp, markTopUpOpen, markTopUpUnpaid } from "./top-up-store.js";

export interface StartTopUpInput {
  endUserId: string;
  /** The tenant whose operations view shows the top-up. */
  developerId: string;
  /** Units, within TOP_UP_LIMITS and a whole number of cents. */
  amountUnits: bigint;
  requestId: string;
}

/** The provider's call that opens a checkout session for `topUpId`. */
export type OpenCheckout<C extends { id: string }> = (topUpId: string) => Promise<C>;

/** The payment provider refused or failed to open the session: the top-up is marked `failed`. */
export class CheckoutNotOpenedError extends AppError {
  constructor(
    readonly topUpId: string,
    cause: unknown,
  ) {
    super("provider_error", "The payment provider could not start a checkout; try again.", {
      retryable: true,
      cause,
    });
  }
}

/**
 * Records the top-up (`creating`), calls the provider with no database
 * transaction open, then marks it `open` with the session's id and audits
 * it, in one transaction.
 */
export async function startTopUp<C extends { id: string }>(
  db: Database,
  input: StartTopUpInput,
  openCheckout: OpenCheckout<C>,
): Promise<{ topUpId: string; checkout: C }> {
  const topUpId = newId("top");
  await insertTopUp(db, { id: topUpId, endUserId: input.endUserId, amountUnits: input.amountUnits });
  let checkout: C;
  try {
    checkout = await openCheckout(topUpId);
  } catch (error) {
    await markTopUpUnpaid(db, topUpId, "failed");
    throw new CheckoutNotOpenedError(topUpId, error);
  }
  await db.transaction(async (tx) => {
    await markTopUpOpen(tx, topUpId, checkout.id);
    await appendAuditEntry(tx, {
      actorType: "end_user",
      actorId: input.endUserId,
      developerId: input.developerId,
      action: "top_up.checkout_create",
      resourceType: "top_up",
      resourceId: topUpId,
      requestId: input.requestId,
      details: { amount_usd: formatUsd(input.amountUnits), checkout_session_id: checkout.id },
    });
  });
  return { topUpId, checkout };
}
