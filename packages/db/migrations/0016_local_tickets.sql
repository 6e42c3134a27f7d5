-- Local tickets (CONTRACT.md, "Local Bridge"): one per local call, obtained
-- by the SDK with the end user's session and sent to the bridge, which
-- reports the call's token counts against it. The ticket is a bearer
-- credential for that one report, stored as its SHA-256 only. It fixes, at
-- issue, who pays (the session's user, app and developer), the feature and
-- its local fee and channel share: a manifest edited meanwhile does not
-- change what the call costs. The fee, when not 0, is held on the wallet
-- under the ledger transfer `hold:<usage_event_id>`.
--
-- A row never changes while the ticket is live: it is settled when its usage
-- event (id = usage_event_id) exists — written in the statement that posts
-- the hold — and released when its hold was voided. After grace_ends_at the
-- worker closes it: releases the hold of an unreported ticket, and records
-- what became of it (closed_as), so open tickets stay a small indexed set.
CREATE TABLE local_tickets (
  id                 text PRIMARY KEY CHECK (id ~ '^ltk_[A-Za-z0-9_]+$' AND length(id) <= 68),
  token_hash         text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  usage_event_id     text NOT NULL UNIQUE CHECK (usage_event_id ~ '^use_[A-Za-z0-9_]+$' AND length(usage_event_id) <= 68),
  app_id             text NOT NULL REFERENCES apps (id),
  developer_id       text NOT NULL REFERENCES developers (id),
  end_user_id        text NOT NULL REFERENCES end_users (id),
  session_id         text NOT NULL,
  feature_key        text NOT NULL CHECK (length(feature_key) BETWEEN 1 AND 64),
  -- The bridge model id the SDK said it would call, if it said; the report names the one that ran.
  requested_model    text CHECK (length(requested_model) BETWEEN 1 AND 256),
  fee_units          numeric(38,0) NOT NULL CHECK (fee_units >= 0),
  channel_share_bps  integer NOT NULL CHECK (channel_share_bps BETWEEN 0 AND 10000),
  created_at         timestamptz NOT NULL DEFAULT now(),
  expires_at         timestamptz NOT NULL,
  -- Reports are accepted until then (expires_at + the grace period at issue).
  grace_ends_at      timestamptz NOT NULL,
  closed_at          timestamptz,
  closed_as          text CHECK (closed_as IN ('settled', 'released')),
  CHECK (expires_at > created_at),
  CHECK (grace_ends_at >= expires_at),
  CHECK ((closed_at IS NULL) = (closed_as IS NULL))
);
-- The worker's pass: open tickets by the end of their grace.
CREATE INDEX local_tickets_open_grace_idx ON local_tickets (grace_ends_at) WHERE closed_at IS NULL;
