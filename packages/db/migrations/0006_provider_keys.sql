-- Provider keys stored for routing: an end user's own keys (BYOK) and a
-- developer's keys. The key itself is never stored in clear, only as an
-- AES-256-GCM envelope (packages/core/src/secrets): the secret under its own
-- data key (secret_iv, secret_ciphertext, secret_tag, bound to the row by its
-- associated data) and that data key wrapped by the master key named by
-- secret_key_id. `secrets:rotate` rewrites only secret_key_id and the wrap
-- columns. Revoking a key erases its envelope: a revoked key cannot be
-- decrypted again, whatever the master key. `masked` (`sk-...abcd`) is all
-- that is ever shown. Budgets are integer units of 1e-8 USD.

CREATE TABLE user_provider_keys (
  id                    text PRIMARY KEY CHECK (id ~ '^upk_[A-Za-z0-9_]{1,64}$'),
  end_user_id           text NOT NULL REFERENCES end_users (id),
  app_id                text NOT NULL REFERENCES apps (id),
  provider              text NOT NULL CHECK (provider IN ('openai', 'anthropic', 'google', 'openrouter', 'groq',
                                                          'together', 'mistral', 'openai_compatible')),
  base_url              text CHECK (length(base_url) BETWEEN 1 AND 2048),
  models_allowed        text[] CHECK (cardinality(models_allowed) BETWEEN 1 AND 100),
  budget_limit_units    numeric(38,0) CHECK (budget_limit_units >= 0),
  priority              integer NOT NULL DEFAULT 0 CHECK (priority BETWEEN 0 AND 1000),
  fallback_to_platform  boolean NOT NULL DEFAULT false,
  masked                text NOT NULL CHECK (length(masked) BETWEEN 1 AND 16),
  secret_key_id         text CHECK (secret_key_id ~ '^[0-9a-f]{8}$'),
  secret_wrapped_key    bytea CHECK (length(secret_wrapped_key) = 32),
  secret_wrap_iv        bytea CHECK (length(secret_wrap_iv) = 12),
  secret_wrap_tag       bytea CHECK (length(secret_wrap_tag) = 16),
  secret_iv             bytea CHECK (length(secret_iv) = 12),
  secret_ciphertext     bytea CHECK (length(secret_ciphertext) BETWEEN 1 AND 16384),
  secret_tag            bytea CHECK (length(secret_tag) = 16),
  created_at            timestamptz NOT NULL DEFAULT now(),
  revoked_at            timestamptz,
  CHECK (provider <> 'openai_compatible' OR base_url IS NOT NULL),
  -- Active rows have a whole envelope; revoked rows have none.
  CHECK (CASE WHEN revoked_at IS NULL
              THEN num_nulls(secret_key_id, secret_wrapped_key, secret_wrap_iv, secret_wrap_tag,
                             secret_iv, secret_ciphertext, secret_tag) = 0
              ELSE num_nonnulls(secret_key_id, secret_wrapped_key, secret_wrap_iv, secret_wrap_tag,
                                secret_iv, secret_ciphertext, secret_tag) = 0
         END)
);
CREATE INDEX user_provider_keys_end_user_idx ON user_provider_keys (end_user_id, priority, created_at)
  WHERE revoked_at IS NULL;
-- secrets:rotate walks active rows by key id.
CREATE INDEX user_provider_keys_secret_key_id_idx ON user_provider_keys (secret_key_id, id)
  WHERE revoked_at IS NULL;

CREATE TABLE developer_provider_keys (
  id                    text PRIMARY KEY CHECK (id ~ '^dpk_[A-Za-z0-9_]{1,64}$'),
  developer_id          text NOT NULL REFERENCES developers (id),
  provider              text NOT NULL CHECK (provider IN ('openai', 'anthropic', 'google', 'openrouter', 'groq',
                                                          'together', 'mistral', 'openai_compatible')),
  base_url              text CHECK (length(base_url) BETWEEN 1 AND 2048),
  models_allowed        text[] CHECK (cardinality(models_allowed) BETWEEN 1 AND 100),
  budget_limit_units    numeric(38,0) CHECK (budget_limit_units >= 0),
  priority              integer NOT NULL DEFAULT 0 CHECK (priority BETWEEN 0 AND 1000),
  fallback_to_platform  boolean NOT NULL DEFAULT false,
  masked                text NOT NULL CHECK (length(masked) BETWEEN 1 AND 16),
  secret_key_id         text CHECK (secret_key_id ~ '^[0-9a-f]{8}$'),
  secret_wrapped_key    bytea CHECK (length(secret_wrapped_key) = 32),
  secret_wrap_iv        bytea CHECK (length(secret_wrap_iv) = 12),
  secret_wrap_tag       bytea CHECK (length(secret_wrap_tag) = 16),
  secret_iv             bytea CHECK (length(secret_iv) = 12),
  secret_ciphertext     bytea CHECK (length(secret_ciphertext) BETWEEN 1 AND 16384),
  secret_tag            bytea CHECK (length(secret_tag) = 16),
  created_at            timestamptz NOT NULL DEFAULT now(),
  revoked_at            timestamptz,
  CHECK (provider <> 'openai_compatible' OR base_url IS NOT NULL),
  CHECK (CASE WHEN revoked_at IS NULL
              THEN num_nulls(secret_key_id, secret_wrapped_key, secret_wrap_iv, secret_wrap_tag,
                             secret_iv, secret_ciphertext, secret_tag) = 0
              ELSE num_nonnulls(secret_key_id, secret_wrapped_key, secret_wrap_iv, secret_wrap_tag,
                                secret_iv, secret_ciphertext, secret_tag) = 0
         END)
);
CREATE INDEX developer_provider_keys_developer_idx ON developer_provider_keys (developer_id, priority, created_at)
  WHERE revoked_at IS NULL;
CREATE INDEX developer_provider_keys_secret_key_id_idx ON developer_provider_keys (secret_key_id, id)
  WHERE revoked_at IS NULL;
