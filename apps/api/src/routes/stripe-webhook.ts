import { applyStripeEvent, REJECTION_REASONS, stripeEventSchema, type StripeEventEnvelope } from "@modelfaucet/billing";
import { stripeWebhookReceiptSchema, type StripeWebhookReceipt } from "@modelfaucet/contract";
import { AppError } from "@modelfaucet/core";
import type { Database } from "@modelfaucet/db";
import { serviceCounter, type RouteContract, withContract } from "@modelfaucet/server-kit";
import type { FastifyInstance } from "fastify";
import { verifyStripeEvent } from "../payments/verify-stripe-event.js";

/** Largest webhook body accepted; Stripe's events are a few KiB. */
const MAX_WEBHOOK_BYTES = 512 * 1024;

const receiveEvent = {
  summary: "Stripe's event deliveries: top-ups credited once, refunds and disputes debited",
  description:
    "The body is verified against Stripe-Signature (dated within 300 s of now, either way) as the exact bytes " +
    "sent, then parsed as the event envelope. A redelivered event answers `duplicate: true` and changes nothing.",
  auth: "stripe_signature",
  body: stripeEventSchema,
  response: stripeWebhookReceiptSchema,
} satisfies RouteContract;

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
 * signature, or one dated more than 300 s from now either way, is a 400 and
 * writes nothing. Any non-2xx makes Stripe redeliver; a redelivered or
 * concurrent copy of a processed event answers 200 with `duplicate: true`
 * and changes nothing.
 *
 * A paid checkout of ours that is not credited — not USD, or outside the
 * top-up limits — is answered 200 too (redelivering cannot change the
 * answer), recorded in `stripe_events` and the audit log, logged at error
 * level and counted in `modelfaucet_stripe_rejected_events_total{reason}`:
 * money was collected that an operator must refund or credit by hand.
 */
export async function stripeWebhookRoutes(app: FastifyInstance, { db, webhookSecret }: StripeWebhookOptions) {
  const rejected = serviceCounter(app.metrics, {
    name: "modelfaucet_stripe_rejected_events_total",
    help: "Paid Stripe checkout sessions of ours refused credit (reason: currency, amount_out_of_bounds).",
    labelNames: ["reason"],
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: MAX_WEBHOOK_BYTES }, (_request, body, done) => {
    done(null, body);
  });

  app.post("/v1/stripe/webhook", withContract(receiveEvent), async (request): Promise<StripeWebhookReceipt> => {
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
    let event: StripeEventEnvelope;
    try {
      event = verifyStripeEvent(request.body, signature, webhookSecret);
    } catch (error) {
      request.log.warn({ err: error }, "stripe webhook refused");
      throw error;
    }
    const applied = await applyStripeEvent(db, event, request.id);
    const line = {
      stripe_event_id: event.id,
      stripe_event_type: event.type,
      outcome: applied.outcome,
      duplicate: applied.duplicate,
    };
    const reason = REJECTION_REASONS[applied.outcome];
    if (reason && !applied.duplicate) {
      rejected.inc({ reason });
      request.log.error(line, "stripe payment not credited: refund it or credit it by an adjustment");
    } else {
      request.log.info(line, "stripe event");
    }
    return { received: true, event_id: applied.eventId, outcome: applied.outcome, duplicate: applied.duplicate };
  });
}
