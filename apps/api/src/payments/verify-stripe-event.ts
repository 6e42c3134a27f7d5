import { stripeEventSchema, type StripeEventEnvelope } from "@modelfaucet/billing";
import { AppError, findUnsafeText } from "@modelfaucet/core";
import Stripe from "stripe";
import { unsafeInputError } from "../refuse-unsafe-input.js";

/**
 * How far a signature's timestamp may be from our clock, either way. Stripe's
 * `constructEvent` refuses only timestamps older than its tolerance (300 s);
 * one from the future would stay replayable until long after it was made,
 * so the same bound is applied ahead.
 */
export const SIGNATURE_TOLERANCE_SECONDS = 300;
/** Stripe objects nest a few levels; the walk of an event is bounded all the same. */
const MAX_EVENT_DEPTH = 64;

/** A delivery that is not a verified event from Stripe: answered 400, nothing written. */
export class StripeSignatureError extends AppError {
  constructor(reason: string, cause?: unknown) {
    super("invalid_request", `Invalid Stripe signature: ${reason}.`, cause === undefined ? {} : { cause });
  }
}

/**
 * The event in `body` once its `Stripe-Signature` is checked against
 * `secret` (https://docs.stripe.com/webhooks#verify-manually), its timestamp
 * is within SIGNATURE_TOLERANCE_SECONDS of `nowMs` both ways, it holds only
 * text PostgreSQL can store, and it has the envelope we expect.
 */
export function verifyStripeEvent(
  body: Buffer,
  signature: string,
  secret: string,
  nowMs: number = Date.now(),
): StripeEventEnvelope {
  let verified: unknown;
  try {
    verified = Stripe.webhooks.constructEvent(body, signature, secret, SIGNATURE_TOLERANCE_SECONDS, undefined, nowMs);
  } catch (error) {
    throw new StripeSignatureError("it does not match the body, or its timestamp is too old", error);
  }
  const signedAt = signedAtSeconds(signature);
  if (!Number.isSafeInteger(signedAt) || signedAt - Math.floor(nowMs / 1000) > SIGNATURE_TOLERANCE_SECONDS) {
    throw new StripeSignatureError("its timestamp is in the future");
  }
  const unsafe = findUnsafeText(verified, { maxDepth: MAX_EVENT_DEPTH, maxIssues: 20 });
  if (unsafe.length > 0) throw unsafeInputError(unsafe);
  return stripeEventSchema.parse(verified);
}

/**
 * The signature's `t=` — the last one, as Stripe's own parser reads it, so
 * this is the timestamp the verified HMAC covered.
 */
function signedAtSeconds(signature: string): number {
  const timestamps = signature
    .split(",")
    .filter((item) => item.startsWith("t="))
    .map((item) => Number.parseInt(item.slice(2), 10));
  return timestamps.at(-1) ?? Number.NaN;
}
