-- Tenancy and identity: developers own apps, apps define features, end users
-- of an app hold sessions. Ids are prefixed text (`dev_`, `app_`, …) so a
-- leaked id says what it is; secrets are never stored, only their hashes.

CREATE TABLE developers (
  id          text PRIMARY KEY CHECK (id ~ '^dev_[A-Za-z0-9_]{1,64}$'),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  email       text NOT NULL CHECK (length(email) BETWEEN 3 AND 320),
  status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX developers_email_key ON developers (lower(email));

-- `id` is the public app id the SDK sends; `session_mode` decides whether the
-- public id alone may mint sessions ('public') or the app's secret is needed.
CREATE TABLE apps (
  id            text PRIMARY KEY CHECK (id ~ '^app_[A-Za-z0-9_]{1,64}$'),
  developer_id  text NOT NULL REFERENCES developers (id),
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  session_mode  text NOT NULL DEFAULT 'signed' CHECK (session_mode IN ('public', 'signed')),
  status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  archived_at   timestamptz,
  CHECK ((status = 'archived') = (archived_at IS NOT NULL))
);
CREATE INDEX apps_developer_id_idx ON apps (developer_id);

-- A feature's policy (routing) and pricing are the manifest of CONTRACT.md,
-- validated by the API before they are stored.
CREATE TABLE app_features (
  app_id        text NOT NULL REFERENCES apps (id),
  feature_key   text NOT NULL CHECK (feature_key ~ '^[a-z0-9][a-z0-9_.-]{0,63}$'),
  display_name  text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
  policy        jsonb NOT NULL,
  pricing       jsonb NOT NULL,
  status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (app_id, feature_key)
);

-- The app's own user id is kept only as a keyed HMAC, never in clear.
CREATE TABLE end_users (
  id                  text PRIMARY KEY CHECK (id ~ '^usr_[A-Za-z0-9_]{1,64}$'),
  app_id              text NOT NULL REFERENCES apps (id),
  external_user_hmac  text NOT NULL,
  created_at          timestamptz NOT NULL DEFAULT now(),
  UNIQUE (app_id, external_user_hmac)
);

-- Session tokens (`mf_sess_…`) are stored as SHA-256 hex only.
CREATE TABLE sessions (
  id           text PRIMARY KEY CHECK (id ~ '^ses_[A-Za-z0-9_]{1,64}$'),
  token_hash   text NOT NULL UNIQUE,
  app_id       text NOT NULL REFERENCES apps (id),
  end_user_id  text NOT NULL REFERENCES end_users (id),
  feature_key  text,
  metadata     jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  revoked_at   timestamptz,
  CHECK (expires_at > created_at)
);
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);
CREATE INDEX sessions_end_user_id_idx ON sessions (end_user_id);

-- Developer tokens (`mf_dev_…`): SHA-256 hex plus a short prefix to recognise them by.
CREATE TABLE developer_tokens (
  id            text PRIMARY KEY CHECK (id ~ '^tok_[A-Za-z0-9_]{1,64}$'),
  developer_id  text NOT NULL REFERENCES developers (id),
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  token_hash    text NOT NULL UNIQUE,
  token_prefix  text NOT NULL,
  scopes        text[] NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz,
  revoked_at    timestamptz,
  last_used_at  timestamptz
);
CREATE INDEX developer_tokens_developer_id_idx ON developer_tokens (developer_id);

-- Append-only record of every sensitive action. `developer_id` is the tenant
-- the entry belongs to (null for platform-wide actions), so a developer's
-- view can be filtered in SQL. Never holds secrets.
CREATE TABLE audit_logs (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  occurred_at    timestamptz NOT NULL DEFAULT now(),
  actor_type     text NOT NULL CHECK (actor_type IN ('admin', 'developer', 'end_user', 'system')),
  actor_id       text,
  developer_id   text REFERENCES developers (id),
  action         text NOT NULL,
  resource_type  text NOT NULL,
  resource_id    text,
  request_id     text,
  details        jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_logs_developer_id_idx ON audit_logs (developer_id, id DESC);

CREATE FUNCTION audit_logs_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_logs is append-only';
END;
$$;
CREATE TRIGGER audit_logs_no_update_or_delete
  BEFORE UPDATE OR DELETE ON audit_logs
  FOR EACH ROW EXECUTE FUNCTION audit_logs_append_only();
CREATE TRIGGER audit_logs_no_truncate
  BEFORE TRUNCATE ON audit_logs
  FOR EACH STATEMENT EXECUTE FUNCTION audit_logs_append_only();
