import Stripe from "stripe";

/**
 * A `Stripe-Signature` header for `payload`, made as Stripe makes it, offline
 * (https://docs.stripe.com/webhooks#verify-manually). For tests and
 * `pnpm stripe:webhook:replay` only: real events are signed by Stripe.
 */
export function signTestEvent(payload: string, secret: string, timestampSeconds?: number): string {
  return Stripe.webhooks.generateTestHeaderString({
    payload,
    secret,
    ...(timestampSeconds === undefined ? {} : { timestamp: timestampSeconds }),
  });
}
