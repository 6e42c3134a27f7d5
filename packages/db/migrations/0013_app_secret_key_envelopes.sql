-- App secret keys (`mf_app_sk_…`) also kept encrypted, so the API can verify
-- an HMAC user assertion made with one (POST /v1/sessions, `signed` apps):
-- a hash alone cannot check an HMAC. Same AES-256-GCM envelope columns as the
-- provider keys (0006), bound to `app_secret_keys:<id>:<app_id>`; rotated by
-- `secrets:rotate`. Keys created before this migration have no envelope:
-- they still work as a bearer secret, not for assertions (rotate them).
-- Revoking a key erases its envelope.
ALTER TABLE app_secret_keys
  ADD COLUMN secret_key_id      text  CHECK (secret_key_id ~ '^[0-9a-f]{8}$'),
  ADD COLUMN secret_wrapped_key bytea CHECK (length(secret_wrapped_key) = 32),
  ADD COLUMN secret_wrap_iv     bytea CHECK (length(secret_wrap_iv) = 12),
  ADD COLUMN secret_wrap_tag    bytea CHECK (length(secret_wrap_tag) = 16),
  ADD COLUMN secret_iv          bytea CHECK (length(secret_iv) = 12),
  ADD COLUMN secret_ciphertext  bytea CHECK (length(secret_ciphertext) BETWEEN 1 AND 1024),
  ADD COLUMN secret_tag         bytea CHECK (length(secret_tag) = 16),
  -- A whole envelope or none; revoked keys have none.
  ADD CONSTRAINT app_secret_keys_envelope_whole CHECK (
    num_nulls(secret_key_id, secret_wrapped_key, secret_wrap_iv, secret_wrap_tag,
              secret_iv, secret_ciphertext, secret_tag) IN (0, 7)
    AND (revoked_at IS NULL OR secret_key_id IS NULL)
  );
