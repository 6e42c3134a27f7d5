import { CheckoutNotOpenedError, startTopUp, unitsToCents } from "@modelfaucet/billing";
import { checkoutBody, checkoutSessionSchema, TOP_UP_LIMITS, type CheckoutSession } from "@modelfaucet/contract";
import { AppError, formatUsd } from "@modelfaucet/core";
import type { Database } from "@modelfaucet/db";
import { bearerToken, type RouteContract, withContract, type SessionAuthenticator } from "@modelfaucet/server-kit";
import type { FastifyInstance } from "fastify";
import type Stripe from "stripe";
import { createCheckoutSession } from "../payments/stripe-client.js";

const createCheckout = {
  summary: "Start a wallet top-up: a Stripe Checkout Session",
  description:
    `${formatUsd(TOP_UP_LIMITS.minUnits)}–${formatUsd(TOP_UP_LIMITS.maxUnits)} USD in whole cents; send the end ` +
    "user to `checkout_url`. The webhook credits the wallet " +
    "once Stripe reports the payment. 503 `payments_disabled` without STRIPE_SECRET_KEY.",
  auth: "session",
  body: checkoutBody,
  status: 201,
  response: checkoutSessionSchema,
} satisfies RouteContract;

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
  app.post("/v1/user/stripe/checkout-sessions", withContract(createCheckout), async (request, reply) => {
    const session = await sessions.authenticate(bearerToken(request));
    if (!stripe)
      throw new AppError("payments_disabled", "Payments are not enabled on this server (STRIPE_SECRET_KEY).");
    const body = createCheckout.body.parse(request.body);
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
    const { topUpId, checkout: created } = await startTopUp(db, input, openCheckout).catch((error: unknown) => {
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
    } satisfies CheckoutSession);
  });
}
