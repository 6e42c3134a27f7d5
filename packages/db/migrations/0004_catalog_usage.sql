-- Model catalog: what each model costs us, effective-dated. A price change is
-- a new row with a later effective_from; usage keeps the price it was rated
-- at (copied onto the usage event), so old usage never changes. Prices are
-- integer units of 1e-8 USD per 1M tokens.
CREATE TABLE models (
  id                           text NOT NULL CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$'),
  provider                     text NOT NULL,
  upstream_model               text NOT NULL,
  input_price_per_mtok         numeric(38,0) NOT NULL CHECK (input_price_per_mtok >= 0),
  cached_input_price_per_mtok  numeric(38,0) NOT NULL CHECK (cached_input_price_per_mtok >= 0),
  output_price_per_mtok        numeric(38,0) NOT NULL CHECK (output_price_per_mtok >= 0),
  context_window               integer NOT NULL CHECK (context_window > 0),
  max_output_tokens            integer NOT NULL CHECK (max_output_tokens > 0),
  status                       text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
  effective_from               timestamptz NOT NULL,
  created_at                   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, effective_from)
);

-- One row per billed request, written in the same transaction as its
-- ledger transfers. `id` is the gateway's own; `request_id` is the
-- x-request-id the caller saw (a caller may reuse one, so it is not unique).
CREATE TABLE usage_events (
  id                text PRIMARY KEY CHECK (id ~ '^use_[A-Za-z0-9_]{1,64}$'),
  request_id        text NOT NULL,
  app_id            text NOT NULL REFERENCES apps (id),
  developer_id      text NOT NULL REFERENCES developers (id),
  end_user_id       text NOT NULL REFERENCES end_users (id),
  session_id        text NOT NULL,
  feature_key       text,
  route_mode        text NOT NULL CHECK (route_mode IN ('platform', 'developer_key', 'byok', 'local')),
  provider          text NOT NULL,
  model             text NOT NULL,
  stream            boolean NOT NULL,
  outcome           text NOT NULL CHECK (outcome IN ('completed', 'client_aborted', 'upstream_failed')),
  usage_source      text NOT NULL CHECK (usage_source IN ('upstream', 'estimated')),
  input_tokens      integer NOT NULL CHECK (input_tokens >= 0),
  cached_tokens     integer NOT NULL CHECK (cached_tokens >= 0 AND cached_tokens <= input_tokens),
  output_tokens     integer NOT NULL CHECK (output_tokens >= 0),
  cost_units        numeric(38,0) NOT NULL CHECK (cost_units >= 0),
  retail_units      numeric(38,0) NOT NULL CHECK (retail_units >= 0),
  developer_units   numeric(38,0) NOT NULL CHECK (developer_units >= 0),
  -- Negative only when usage overran the hold: the user is never charged more
  -- than was held, and the platform absorbs the difference.
  platform_units    numeric(38,0) NOT NULL,
  held_units        numeric(38,0) NOT NULL CHECK (held_units >= retail_units),
  attempts          jsonb NOT NULL DEFAULT '[]'::jsonb,
  created_at        timestamptz NOT NULL DEFAULT now(),
  CHECK (cost_units + developer_units + platform_units = retail_units)
);
CREATE INDEX usage_events_app_created_idx ON usage_events (app_id, created_at DESC, id DESC);
CREATE INDEX usage_events_developer_created_idx ON usage_events (developer_id, created_at DESC, id DESC);
CREATE INDEX usage_events_end_user_created_idx ON usage_events (end_user_id, created_at DESC);
CREATE INDEX usage_events_request_id_idx ON usage_events (request_id);
