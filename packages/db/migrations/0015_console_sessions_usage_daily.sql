-- The dashboard's sign-in: a token (an `mf_dev_` token, DEVELOPER_ADMIN_TOKEN
-- or ADMIN_TOKEN) is exchanged for a cookie that holds a random session
-- token, stored here as its SHA-256 only. The session acts with the
-- authority of what signed it in, no more:
-- - developer: that `mf_dev_` token (its scopes are read from it on every
--   request, so revoking or expiring the token ends the session too);
-- - developer_admin / operator: the bootstrap token, whose SHA-256 is kept
--   in credential_hash so a rotated token ends the sessions it opened.
CREATE TABLE console_sessions (
  id                  text PRIMARY KEY CHECK (id ~ '^cons_[A-Za-z0-9_]{1,64}$'),
  token_hash          text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  authority           text NOT NULL CHECK (authority IN ('developer', 'developer_admin', 'operator')),
  developer_token_id  text REFERENCES developer_tokens (id),
  credential_hash     text CHECK (credential_hash ~ '^[0-9a-f]{64}$'),
  created_at          timestamptz NOT NULL DEFAULT now(),
  expires_at          timestamptz NOT NULL,
  revoked_at          timestamptz,
  CHECK (expires_at > created_at),
  CHECK ((authority = 'developer') = (developer_token_id IS NOT NULL)),
  CHECK ((authority = 'developer') = (credential_hash IS NULL))
);
CREATE INDEX console_sessions_expires_at_idx ON console_sessions (expires_at);

-- Daily usage per developer, app, feature, route mode, provider and model:
-- what the dashboard's charts read instead of scanning usage_events. The
-- worker adds every event with created_at < usage_rollup_state.rolled_up_to
-- (a bound it moves forward, kept a minute behind now() so a settlement
-- still committing is not skipped); readers add the events at or after that
-- bound from usage_events themselves, so an answer is always complete.
-- feature_key '' stands for "no feature".
CREATE TABLE usage_daily (
  developer_id     text NOT NULL,
  day              date NOT NULL,
  app_id           text NOT NULL,
  feature_key      text NOT NULL,
  route_mode       text NOT NULL,
  provider         text NOT NULL,
  model            text NOT NULL,
  requests         bigint NOT NULL CHECK (requests > 0),
  failed           bigint NOT NULL CHECK (failed >= 0 AND failed <= requests),
  input_tokens     bigint NOT NULL CHECK (input_tokens >= 0),
  output_tokens    bigint NOT NULL CHECK (output_tokens >= 0),
  cost_units       numeric(38,0) NOT NULL,
  retail_units     numeric(38,0) NOT NULL,
  developer_units  numeric(38,0) NOT NULL,
  platform_units   numeric(38,0) NOT NULL,
  PRIMARY KEY (developer_id, day, app_id, feature_key, route_mode, provider, model)
);
CREATE INDEX usage_daily_day_idx ON usage_daily (day);

CREATE TABLE usage_rollup_state (
  singleton     boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  rolled_up_to  timestamptz NOT NULL
);
-- Before any event: the first refresh starts from the oldest one.
INSERT INTO usage_rollup_state (rolled_up_to) VALUES ('-infinity');
