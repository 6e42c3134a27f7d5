-- Server-side secrets of apps in `signed` session mode (`mf_app_sk_…`). Only
-- the SHA-256 and a short prefix are kept; the key is shown once at creation.
CREATE TABLE app_secret_keys (
  id          text PRIMARY KEY CHECK (id ~ '^ask_[A-Za-z0-9_]{1,64}$'),
  app_id      text NOT NULL REFERENCES apps (id),
  key_hash    text NOT NULL UNIQUE,
  key_prefix  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);
CREATE INDEX app_secret_keys_app_id_idx ON app_secret_keys (app_id);
