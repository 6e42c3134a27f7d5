import { AppError, formatUsd, usdUnitsSchema } from "@modelfaucet/core";
import { newId } from "@modelfaucet/crypto";
import type { Database } from "@modelfaucet/db";
import { bearerToken, type SessionAuthenticator } from "@modelfaucet/server-kit";
import type { FastifyInstance } from "fastify";
import type Stripe from "stripe";
import { z } from "zod";
import { createCheckoutSession } from "../payments/stripe-client.js";
import { appendAuditEntry } from "../audit-log.js";
import { insertTopUp, markTopUpOpen, markTopUpUnpaid } from "../payments/top-up-store.js";
import { isWithinTopUpLimits, TOP_UP_LIMITS, UNITS_PER_CENT, unitsToCents } from "../payments/top-up-limits.js";

const returnUrl = (field: string) =>
  z
    .url({ protocol: /^https?$/, error: `${field} must be an http(s) URL` })
    .max(TOP_UP_LIMITS.maxUrlLength, { error: `${field} must be at most ${TOP_UP_LIMITS.maxUrlLength} characters` });

const checkoutBody = z.object({
  amount_usd: usdUnitsSchema({ field: "amount_usd" })
    .refine(isWithinTopUpLimits, {
      error: `amount_usd must be between ${formatUsd(TOP_UP_LIMITS.minUnits)} and ${formatUsd(TOP_UP_LIMITS.maxUnits)}`,
    })
    .refine((units) => units % UNITS_PER_CENT === 0n, { error: "amount_usd must be a whole number of cents" }),
  success_url: returnUrl("success_url"),
  cancel_url: returnUrl("cancel_url"),
});

export interface StripeCheckoutOptions {
  db: Database;
  sessions: SessionAuthenticator;
  /** Undefined when STRIPE_SECRET_KEY is not set: the route answers 503 payments_disabled. */
  stripe: Stripe | undefined;
}

/**
 * `POST /v1/user/stripe/checkout-sessions` (session): starts a wallet top-up.
 * The top-up is recorded (`creating`) before Stripe is called and marked
 * `open` with the session id after, so a crash in between leaves a visible,
 * uncredited row rather than a session we know nothing of. No database
 * transaction is open during the Stripe call.
 */
export async function stripeCheckoutRoutes(app: FastifyInstance, { db, sessions, stripe }: StripeCheckoutOptions) {
  app.post("/v1/user/stripe/checkout-sessions", async (request, reply) => {
    const session = await sessions.authenticate(bearerToken(request));
    if (!stripe)
      throw new AppError("payments_disabled", "Payments are not enabled on this server (STRIPE_SECRET_KEY).");
    const body = checkoutBody.parse(request.body);
    const topUpId = newId("top");
    await insertTopUp(db, { id: topUpId, endUserId: session.endUserId, amountUnits: body.amount_usd });
    let created;
    try {
      created = await createCheckoutSession(stripe, {
        topUpId,
        endUserId: session.endUserId,
        amountCents: unitsToCents(body.amount_usd),
        successUrl: body.success_url,
        cancelUrl: body.cancel_url,
      });
    } catch (error) {
      await markTopUpUnpaid(db, topUpId, "failed");
      // Stripe's message may describe our account; it is logged, not echoed.
      request.log.warn({ err: error, top_up_id: topUpId }, "stripe checkout session creation failed");
      throw new AppError("provider_error", "The payment provider could not start a checkout; try again.", {
        retryable: true,
        cause: error,
      });
    }
    await db.transaction(async (tx) => {
      await markTopUpOpen(tx, topUpId, created.id);
      await appendAuditEntry(tx, {
        actorType: "end_user",
        actorId: session.endUserId,
        developerId: session.developerId,
        action: "top_up.checkout_create",
        resourceType: "top_up",
        resourceId: topUpId,
        requestId: request.id,
        details: { amount_usd: formatUsd(body.amount_usd), checkout_session_id: created.id },
      });
    });
    return reply.code(201).send({
      top_up_id: topUpId,
      wallet_id: session.endUserId,
      amount_usd: formatUsd(body.amount_usd),
      status: "open",
      checkout_session_id: created.id,
      checkout_url: created.url,
      expires_at: created.expiresAt?.toISOString() ?? null,
    });
  });
}
