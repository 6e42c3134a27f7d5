import { AppError } from "@modelfaucet/core";
import type { Database } from "@modelfaucet/db";
import type { FastifyInstance } from "fastify";
import Stripe from "stripe";
import { applyStripeEvent } from "../payments/apply-stripe-event.js";
import { stripeEventSchema } from "../payments/stripe-event-schemas.js";

/** Largest webhook body accepted; Stripe's events are a few KiB. */
const MAX_WEBHOOK_BYTES = 512 * 1024;

export interface StripeWebhookOptions {
  db: Database;
  /** STRIPE_WEBHOOK_SECRET (whsec_…); undefined answers 503 payments_disabled. */
  webhookSecret: string | undefined;
}

/**
 * `POST /v1/stripe/webhook`: Stripe's event deliveries
 * (https://docs.stripe.com/webhooks). The signature is computed over the exact
 * bytes sent, so this plugin — and only it, Fastify parsers being encapsulated —
 * replaces the JSON parser with one that keeps the raw body as a Buffer. A bad
 * signature is a 400 and writes nothing. Any non-2xx makes Stripe redeliver;
 * a redelivered or concurrent copy of a processed event answers 200 with
 * `duplicate: true` and changes nothing.
 */
export async function stripeWebhookRoutes(app: FastifyInstance, { db, webhookSecret }: StripeWebhookOptions) {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: MAX_WEBHOOK_BYTES }, (_request, body, done) => {
    done(null, body);
  });

  app.post("/v1/stripe/webhook", async (request) => {
    if (!webhookSecret) {
      throw new AppError("payments_disabled", "Payments are not enabled on this server (STRIPE_WEBHOOK_SECRET).");
    }
    const signature = request.headers["stripe-signature"];
    if (typeof signature !== "string" || signature.length === 0 || signature.length > 4096) {
      throw new AppError("invalid_request", "Missing Stripe-Signature header.");
    }
    if (!Buffer.isBuffer(request.body) || request.body.length === 0) {
      throw new AppError("invalid_request", "Empty webhook body.");
    }
    let verified: unknown;
    try {
      verified = Stripe.webhooks.constructEvent(request.body, signature, webhookSecret);
    } catch (error) {
      request.log.warn({ err: error }, "stripe webhook signature rejected");
      throw new AppError("invalid_request", "Invalid Stripe signature.");
    }
    const event = stripeEventSchema.parse(verified);
    const applied = await applyStripeEvent(db, event, request.id);
    request.log.info(
      {
        stripe_event_id: event.id,
        stripe_event_type: event.type,
        outcome: applied.outcome,
        duplicate: applied.duplicate,
      },
      "stripe event",
    );
    return { received: true, event_id: applied.eventId, outcome: applied.outcome, duplicate: applied.duplicate };
  });
}
