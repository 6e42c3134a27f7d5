-- Stripe top-ups: what a user asked to pay (top_ups) and every webhook event
-- Stripe delivered (stripe_events). Money itself moves only in the ledger;
-- these rows say why, and their unique keys make each event and each checkout
-- session take effect at most once. apps/api/src/payments documents the flow.

-- One row per checkout a user started. `amount_units` is what the wallet is
-- credited when Stripe reports the session paid (units of 1e-8 USD; Stripe
-- charges whole cents, so it is a multiple of 1e6). A Stripe Checkout Session
-- belongs to at most one top-up and is credited at most once: the ledger
-- transfer `stripe_topup:<checkout_session_id>` is the credit's idempotency key.
CREATE TABLE top_ups (
  id                    text PRIMARY KEY CHECK (id ~ '^top_[A-Za-z0-9_]{1,64}$'),
  end_user_id           text NOT NULL REFERENCES end_users (id),
  amount_units          numeric(38,0) NOT NULL CHECK (amount_units > 0 AND amount_units % 1000000 = 0),
  currency              text NOT NULL DEFAULT 'usd' CHECK (currency = 'usd'),
  -- creating: row written, Stripe not yet answered; open: session created;
  -- paid: credited; expired / failed: never paid (or Stripe refused the session).
  status                text NOT NULL DEFAULT 'creating'
                          CHECK (status IN ('creating', 'open', 'paid', 'expired', 'failed')),
  checkout_session_id   text UNIQUE CHECK (checkout_session_id ~ '^cs_[A-Za-z0-9_]{1,250}$'),
  payment_intent_id     text,
  credit_transfer_id    text,
  -- Clawed back by refunds (Stripe's cumulative amount_refunded) and disputes;
  -- their sum never exceeds the amount credited.
  refunded_units        numeric(38,0) NOT NULL DEFAULT 0 CHECK (refunded_units >= 0),
  disputed_units        numeric(38,0) NOT NULL DEFAULT 0 CHECK (disputed_units >= 0),
  -- Of the clawbacks, what the wallet could not cover: booked on platform:receivable.
  receivable_units      numeric(38,0) NOT NULL DEFAULT 0 CHECK (receivable_units >= 0),
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  paid_at               timestamptz,
  CHECK ((status = 'paid') = (paid_at IS NOT NULL)),
  CHECK (status IN ('creating', 'failed') OR checkout_session_id IS NOT NULL),
  CHECK (refunded_units + disputed_units <= amount_units),
  CHECK (receivable_units <= refunded_units + disputed_units)
);
CREATE INDEX top_ups_end_user_idx ON top_ups (end_user_id, created_at DESC);
CREATE UNIQUE INDEX top_ups_payment_intent_key ON top_ups (payment_intent_id) WHERE payment_intent_id IS NOT NULL;

-- Every verified event, once: a redelivery finds its row and changes nothing.
-- `outcome` says what the event did (credited, debited, duplicate_session,
-- ignored_*, …); `details` holds the amounts and transfer ids, never secrets.
CREATE TABLE stripe_events (
  id           text PRIMARY KEY CHECK (id ~ '^evt_[A-Za-z0-9_]{1,250}$'),
  type         text NOT NULL CHECK (length(type) BETWEEN 1 AND 200),
  livemode     boolean NOT NULL,
  object_id    text,
  top_up_id    text REFERENCES top_ups (id),
  outcome      text NOT NULL CHECK (outcome ~ '^[a-z][a-z0-9_]{0,63}$'),
  details      jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(details) = 'object'),
  created_at   timestamptz NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stripe_events_top_up_idx ON stripe_events (top_up_id) WHERE top_up_id IS NOT NULL;
CREATE INDEX stripe_events_received_idx ON stripe_events (received_at);

-- Reports walk all usage in (created_at, id) order in keyset batches; the
-- existing indexes lead with app, developer or end user.
CREATE INDEX usage_events_created_id_idx ON usage_events (created_at, id);
