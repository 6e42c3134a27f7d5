import { CheckoutNotOpenedError, startTopUp, unitsToCents } from "@modelfaucet/billing";
import { isWithinTopUpLimits, TOP_UP_LIMITS, UNITS_PER_CENT } from "@modelfaucet/contract";
import { AppError, formatUsd, usdUnitsSchema } from "@modelfaucet/core";
import type { Database } from "@modelfaucet/db";
import { bearerToken, type SessionAuthenticator } from "@modelfaucet/server-kit";
import type { FastifyInstance } from "fastify";
import type Stripe from "stripe";
import { z } from "zod";
import { appendAuditEntry } from "../audit-log.js";
import { createCheckoutSession } from "../payments/stripe-client.js";

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
 * `POST /v1/user/stripe/checkout-sessions` (session): starts a wallet top-up
 * (@modelfaucet/billing's startTopUp): the top-up is recorded before Stripe
 * is called and marked `open` with the session id after.
 */
export async function stripeCheckoutRoutes(app: FastifyInstance, { db, sessions, stripe }: StripeCheckoutOptions) {
  app.post("/v1/user/stripe/checkout-sessions", async (request, reply) => {
    const session = await sessions.authenticate(bearerToken(request));
    if (!stripe)
      throw new AppError("payments_disabled", "Payments are not enabled on this server (STRIPE_SECRET_KEY).");
    const body = checkoutBody.parse(request.body);
    const openCheckout = (topUpId: string) =>
      createCheckoutSession(stripe, {
        topUpId,
        endUserId: session.endUserId,
        amountCents: unitsToCents(body.amount_usd),
        successUrl: body.success_url,
        cancelUrl: body.cancel_url,
      });
    const input = {
      endUserId: session.endUserId,
      developerId: session.developerId,
      amountUnits: body.amount_usd,
      requestId: request.id,
    };
    const money = { db, audit: appendAuditEntry };
    const { topUpId, checkout: created } = await startTopUp(money, input, openCheckout).catch((error: unknown) => {
      if (error instanceof CheckoutNotOpenedError) {
        // Stripe's message may describe our account; it is logged, not echoed.
        request.log.warn({ err: error.cause, top_up_id: error.topUpId }, "stripe checkout session creation failed");
      }
      throw error;
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
