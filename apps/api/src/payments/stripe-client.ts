import Stripe from "stripe";

/**
 * How long one Stripe API call may take, and how often the package retries a
 * failed one (it sends the same Idempotency-Key on each retry, so a retried
 * create never makes two sessions).
 */
const STRIPE_TIMEOUT_MS = 20_000;
const STRIPE_MAX_NETWORK_RETRIES = 2;

/**
 * A Stripe API client for `secretKey`. `overrides` exist for tests, which point
 * host / port / protocol at a local fake so nothing reaches the network.
 */
export function createStripeClient(secretKey: string, overrides: Stripe.StripeConfig = {}): Stripe {
  return new Stripe(secretKey, {
    timeout: STRIPE_TIMEOUT_MS,
    maxNetworkRetries: STRIPE_MAX_NETWORK_RETRIES,
    appInfo: { name: "ModelFaucet" },
    ...overrides,
  });
}

export interface CheckoutSessionRequest {
  topUpId: string;
  endUserId: string;
  /** Whole US cents, within TOP_UP_LIMITS. */
  amountCents: number;
  successUrl: string;
  cancelUrl: string;
}

export interface CreatedCheckoutSession {
  id: string;
  /** Where to send the user to pay; null only for embedded UI modes, which we do not use. */
  url: string | null;
  expiresAt: Date | null;
}

/**
 * Creates a hosted Checkout Session for one top-up
 * (https://docs.stripe.com/api/checkout/sessions/create). Our top-up id rides
 * along as client_reference_id and as metadata on both the session and its
 * PaymentIntent, so the completion event and later charge / refund / dispute
 * events can be matched back to it. The top-up id is the Idempotency-Key.
 */
export async function createCheckoutSession(
  stripe: Stripe,
  request: CheckoutSessionRequest,
): Promise<CreatedCheckoutSession> {
  const metadata = { top_up_id: request.topUpId, end_user_id: request.endUserId };
  const session = await stripe.checkout.sessions.create(
    {
      mode: "payment",
      success_url: request.successUrl,
      cancel_url: request.cancelUrl,
      client_reference_id: request.topUpId,
      line_items: [
        {
          quantity: 1,
          price_data: {
            currency: "usd",
            unit_amount: request.amountCents,
            product_data: { name: "ModelFaucet wallet top-up" },
          },
        },
      ],
      metadata,
      payment_intent_data: { metadata },
    },
    { idempotencyKey: `top_up:${request.topUpId}` },
  );
  return {
    id: session.id,
    url: session.url ?? null,
    expiresAt: typeof session.expires_at === "number" ? new Date(session.expires_at * 1000) : null,
  };
}
