-- Issue 15: spending budgets per end user, per feature and per app, in USD
-- (retail: what end users are charged) and tokens (input + output), over a
-- UTC day, a UTC month or a rolling window of whole hours.
--
-- apps.limits: the app's limits (appLimitsSchema, validated by the API on
-- write); NULL = none. A feature's are in its manifest (policy.limits).
ALTER TABLE apps ADD COLUMN limits jsonb;

-- One counter per (budget counter, bucket). counter_key names whose spending
-- it counts and in what grain: `<app>|<feature or *>|<end user or *>|<hour,
-- day or month>` (ApplicableBudget.counterKey); bucket_start is the UTC start
-- of its hour, day or month. A calendar budget reads its current bucket, a
-- rolling one sums the hour buckets of its window. Budgets of one subject
-- and grain share the counter (it counts USD and tokens both).
-- Invariant: held_units / held_tokens = Σ of the bucket's reservations;
-- spent_* grow only when a reservation is settled (or swept with its usage
-- event), by that request's actual retail price and tokens.
CREATE TABLE budget_counters (
  counter_key   text NOT NULL CHECK (length(counter_key) BETWEEN 1 AND 300),
  bucket_start  timestamptz NOT NULL,
  spent_units   numeric(38,0) NOT NULL DEFAULT 0 CHECK (spent_units >= 0),
  spent_tokens  bigint NOT NULL DEFAULT 0 CHECK (spent_tokens >= 0),
  held_units    numeric(38,0) NOT NULL DEFAULT 0 CHECK (held_units >= 0),
  held_tokens   bigint NOT NULL DEFAULT 0 CHECK (held_tokens >= 0),
  PRIMARY KEY (counter_key, bucket_start)
);

-- What one billed request (usage_event_id: its wallet hold's) holds on each
-- counter bucket it counts in, until it is settled (moved to spent at its
-- actual amounts) or released (dropped). expires_at is its wallet hold's
-- expiry: past it, the worker settles it from the usage event if one was
-- written (the settlement committed, the counters' update did not) and drops
-- it otherwise, so budgets never leak.
CREATE TABLE budget_reservations (
  usage_event_id  text NOT NULL CHECK (usage_event_id ~ '^use_[A-Za-z0-9_]+$' AND length(usage_event_id) <= 68),
  counter_key     text NOT NULL,
  bucket_start    timestamptz NOT NULL,
  held_units      numeric(38,0) NOT NULL CHECK (held_units >= 0),
  held_tokens     bigint NOT NULL CHECK (held_tokens >= 0),
  expires_at      timestamptz NOT NULL,
  PRIMARY KEY (usage_event_id, counter_key, bucket_start),
  FOREIGN KEY (counter_key, bucket_start) REFERENCES budget_counters (counter_key, bucket_start)
);
-- The worker's pass: reservations by expiry.
CREATE INDEX budget_reservations_expires_idx ON budget_reservations (expires_at);
